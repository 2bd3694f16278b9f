"""Shared reading of the SDK's event log: names, times and metadata keys in either style (pure).

Event names and metadata keys are compared after folding case and dropping ``_``/``-``, so
``deviceType``, ``device_type`` and ``DEVICE-TYPE`` are one key and ``media_permission`` and
``mediaPermission`` one event.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.health.values import clock
from bot.realtimekit.models import ReportEvent, ScalarValue
from bot.timeutil import fmt_offset


@dataclass(frozen=True, slots=True)
class Event:
    name: str
    t: float | None
    metadata: dict[str, ScalarValue]


def key(text: str) -> str:
    """``deviceType``, ``device_type`` and ``DEVICE-TYPE`` all become ``devicetype``."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def meta(event: ReportEvent | Event, *names: str) -> ScalarValue:
    """The first of ``names`` present in the event's metadata, camelCase or snake_case."""
    metadata = event.metadata or {}
    wanted = [key(n) for n in names]
    found = {key(k): v for k, v in metadata.items()}
    for name in wanted:
        if name in found and found[name] is not None:
            return found[name]
    return None


def upper(value: ScalarValue) -> str:
    """``system_denied`` / ``SYSTEM-DENIED`` -> ``SYSTEM_DENIED``."""
    if value is None:
        return ""
    return "_".join(str(value).strip().upper().replace("-", " ").replace("_", " ").split())


def at(t: float | None, start: float | None) -> str:
    if t is None:
        return ""
    text = f" at {clock(t)} UTC"
    if start is not None and t >= start:
        text += f" ({fmt_offset(t - start)})"
    return text


def times_text(events: list[Event], start: float | None) -> str:
    """`` at 14:03 UTC (3 min in)`` or ``, first at …`` for several."""
    timed = [e.t for e in events if e.t is not None]
    if not timed:
        return ""
    if len(events) == 1:
        return at(timed[0], start)
    return "," + at(timed[0], start).replace(" at ", " first at ", 1)
