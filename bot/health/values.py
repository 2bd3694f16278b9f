"""Small, total helpers for untrusted numbers and for wording them (pure).

Reports are not trusted: any number may be missing, negative, NaN or absurdly large. These
helpers turn such values into ``None`` instead of letting them reach a comparison.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from bot.health.thresholds import SECONDS_OR_MS_CUTOFF
from bot.timeutil import fmt_clock

_INF = math.inf


def num(value: float | None, *, lo: float = 0.0) -> float | None:
    """A finite number ``>= lo``, else ``None`` (NaN fails every comparison)."""
    if value is None or isinstance(value, bool):
        return None
    if not isinstance(value, float | int):
        return None
    if lo <= value < _INF and value > -_INF:
        return float(value)
    return None


def frac(value: float | None) -> float | None:
    """A 0..1 share; values above 1 are clamped (never guessed to be percent)."""
    number = num(value)
    return None if number is None else min(number, 1.0)


def ms(value: float | None) -> float | None:
    """A per-sample latency: below 5 it is seconds (W3C getStats), otherwise milliseconds."""
    number = num(value)
    if number is None:
        return None
    return number * 1000.0 if number < SECONDS_OR_MS_CUTOFF else number


def finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def fmt_pct(value: float) -> str:
    """``6.234`` -> ``6.2%``; tiny values keep two decimals."""
    if value >= 10:
        return f"{value:.0f}%"
    if value >= 1 or value == 0:
        return f"{value:.1f}%"
    return f"{value:.2f}%"


def fmt_share(value: float) -> str:
    """A 0..1 share as percent of time: ``0.183`` -> ``18%``."""
    pct = value * 100
    return f"{pct:.0f}%" if pct >= 1 or pct == 0 else "<1%"


def fmt_ms(value: float) -> str:
    return f"{value:.0f} ms"


def fmt_num(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def clock(epoch: float) -> str:
    """``14:05`` (UTC) for an epoch in seconds; ``?`` when out of range."""
    try:
        return fmt_clock(datetime.fromtimestamp(epoch, tz=UTC))
    except (OverflowError, OSError, ValueError):
        return "?"


def major_version(text: str | None) -> int | None:
    """Leading integer of a version string: ``"131.0.6778"`` -> 131, ``"v2.0"`` -> 2."""
    if not text:
        return None
    digits = ""
    for char in text.strip().lstrip("vV"):
        if char.isdigit():
            digits += char
        elif digits:
            break
        else:
            return None
        if len(digits) > 6:
            return None
    return int(digits) if digits else None
