"""Small, total helpers for untrusted numbers and for wording them (pure).

Reports are not trusted: any number may be missing, negative, NaN or absurdly large. These
helpers turn such values into ``None`` instead of letting them reach a comparison. The SDK sends
0 for what it could not measure (``jitter: … || 0``), so :func:`measured` and :func:`ms` treat
0 as "not measured" too. Units are never guessed per value: per-sample latencies are W3C
seconds, and a track whose samples are in ms is recognised once per track (:mod:`.units`).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from bot.health.thresholds import MAX_LATENCY_MS
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


def measured(value: float | None, *, hi: float = _INF) -> float | None:
    """A finite number ``0 < value <= hi``; 0 means "not measured" (the SDK's default)."""
    number = num(value)
    if number is None or number <= 0 or number > hi:
        return None
    return number


def ms(value: float | None, scale: float = 1000.0) -> float | None:
    """A latency in W3C seconds (``scale`` 1000) as ms; 0, negatives, > 60 s and NaN are None."""
    number = measured(value)
    if number is None:
        return None
    return measured(number * scale, hi=MAX_LATENCY_MS)


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
