"""Timestamps in reports: tolerant parsing and human formatting (pure).

Total functions: any input gives an answer, never an exception. A timestamp Python cannot
shift to UTC (``0001-01-01T00:00:00+01:00``, ``9999-12-31T23:59:59-01:00``) is "no time"
(``None``); views show such text as given and sort it last.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

#: Durations and offsets beyond this many hours are printed as "over …" (a call is not a year).
MAX_HOURS = 9999


def parse_ts(value: str | float | None) -> datetime | None:
    """ISO-8601 text (``Z`` or offset) or epoch seconds/milliseconds -> aware UTC datetime.

    Anything unparseable, or outside what a datetime can hold once shifted to UTC, gives
    ``None``; reports are not trusted to be well formed.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            seconds = value / 1000 if value > 1e11 else value
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    text = value.strip()
    if not text:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):  # the range edges: shifting leaves year 1..9999
        return None


def _whole(seconds: float) -> int | None:
    """Non-negative whole seconds, or ``None`` when beyond :data:`MAX_HOURS` (or not finite)."""
    if not math.isfinite(seconds):
        return None
    if seconds > MAX_HOURS * 3600:
        return None
    return max(0, round(seconds))


def fmt_duration(seconds: float) -> str:
    """``3725`` -> ``1h 2m 5s``; ``65`` -> ``1m 5s``; ``4`` -> ``4s``; absurd -> ``over 9999h``."""
    if isinstance(seconds, float) and math.isnan(seconds):
        return "?"
    total = _whole(seconds)
    if total is None:
        return f"over {MAX_HOURS}h" if seconds > 0 else "?"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes}m" if not secs else f"{hours}h {minutes}m {secs}s"
    if minutes:
        return f"{minutes}m {secs}s" if secs else f"{minutes}m"
    return f"{secs}s"


def fmt_offset(seconds: float) -> str:
    """Relative time from the start of a call: ``+12:04`` or ``+1:02:03``."""
    if isinstance(seconds, float) and math.isnan(seconds):
        return "+?"
    total = _whole(seconds)
    if total is None:
        return f"+{MAX_HOURS}h+" if seconds > 0 else "+?"
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"+{hours}:{minutes:02d}:{secs:02d}"
    return f"+{minutes}:{secs:02d}"


def _utc(moment: datetime) -> datetime:
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return moment


def fmt_clock(moment: datetime) -> str:
    """``14:05`` in UTC (reports are in UTC; Slack readers are everywhere)."""
    return _utc(moment).strftime("%H:%M")


def fmt_stamp(moment: datetime) -> str:
    """``2026-11-24 14:05 UTC``."""
    utc = _utc(moment)
    return f"{utc.year:04d}-{utc:%m-%d %H:%M} UTC"
