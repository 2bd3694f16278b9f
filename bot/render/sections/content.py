"""What every drill-down is built from: the :class:`Section` content and row formatting."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.identifiers import SECTION_TITLES
from bot.realtimekit.models import DeviceUpdate, Participant, ReportMetadata
from bot.render.escape import code, inline
from bot.render.limits import clip
from bot.timeutil import fmt_offset, parse_ts

#: Section titles by section word.
TITLES: dict[str, str] = {str(section): title for section, title in SECTION_TITLES.items()}


@dataclass
class Section:
    """A section's content: an intro line, rows (one block each), notes after them."""

    title: str
    intro: str
    rows: list[str] = field(default_factory=list)
    empty: str = ""
    reveal_ip: bool = False


# --- helpers ---------------------------------------------------------------------------------


def start_of(participant: Participant) -> datetime | None:
    return parse_ts(participant.joined_at) or parse_ts(participant.created_at)


def moment_text(moment: datetime | None, start: datetime | None, given: str | None = None) -> str:
    if moment is None:
        # A time Python cannot place (unparseable, or beyond year 1..9999 in UTC): as given.
        return f"`{code(clip(given.strip(), 40))}`" if given and given.strip() else "`(no time)`"
    clock = moment.strftime("%H:%M:%S")
    if start is None:
        return f"`{clock}`"
    return f"`{fmt_offset((moment - start).total_seconds())}` {clock}"


def bitrate(bps: float | None) -> str:
    if bps is None or not math.isfinite(bps) or bps < 0:
        return "?"
    return f"{bps / 1e6:.1f} Mbps" if bps >= 1e6 else f"{bps / 1e3:.0f} kbps"


def size_text(count: float | None) -> str:
    if count is None or not math.isfinite(count) or count < 0:
        return "?"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count:.0f} B"


#: Printed numbers stay this narrow: beyond it, three significant digits (``1.23e+12``).
WIDE = 1e9


def num(value: float | None, fmt: str = "{:.0f}") -> str:
    """A number as text of sane width; ``?`` when not measured."""
    if value is None or isinstance(value, bool) or not math.isfinite(value):
        return "?"
    if abs(value) >= WIDE:
        return f"{value:.3g}"
    return fmt.format(value)


def pct(share: float | None) -> str:
    """A 0..1 share as a percentage (``?`` when not measured)."""
    return num(None if share is None else share * 100)


def meta_text(metadata: dict[str, Any] | None) -> str:
    if not metadata:
        return ""
    parts = [f"{inline(str(k))}={inline(str(v))}" for k, v in list(metadata.items())[:8]]
    return clip(" · ".join(parts), 400)


def device_labels(update: DeviceUpdate, key: str) -> list[str]:
    devices = getattr(update, key) or []
    return [inline(clip(d.label or d.device_id or "unnamed device", 80)) for d in devices]


def metadata_of(participant: Participant) -> ReportMetadata | None:
    return participant.peer_report.metadata if participant.peer_report else None
