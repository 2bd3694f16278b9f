"""Timestamps in reports: tolerant parsing and human formatting (pure)."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_ts(value: str | float | None) -> datetime | None:
    """ISO-8601 text (``Z`` or offset) or epoch seconds/milliseconds -> aware UTC datetime.

    Anything unparseable gives ``None``; reports are not trusted to be well formed.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value
        try:
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
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def fmt_duration(seconds: float) -> str:
    """``3725`` -> ``1h 2m 5s``; ``65`` -> ``1m 5s``; ``4`` -> ``4s``."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes}m" if not secs else f"{hours}h {minutes}m {secs}s"
    if minutes:
        return f"{minutes}m {secs}s" if secs else f"{minutes}m"
    return f"{secs}s"


def fmt_offset(seconds: float) -> str:
    """Relative time from the start of a call: ``+12:04`` or ``+1:02:03``."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"+{hours}:{minutes:02d}:{secs:02d}"
    return f"+{minutes}:{secs:02d}"


def fmt_clock(moment: datetime) -> str:
    """``14:05`` in UTC (reports are in UTC; Slack readers are everywhere)."""
    return moment.astimezone(UTC).strftime("%H:%M")


def fmt_stamp(moment: datetime) -> str:
    """``2026-11-24 14:05 UTC``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
