"""The events view: peer events, report events and device changes on one timeline."""

from __future__ import annotations

import math
from datetime import datetime

from bot.realtimekit.models import Participant
from bot.render.escape import inline
from bot.render.limits import clip
from bot.render.sections.content import (
    TITLES,
    Section,
    device_labels,
    meta_text,
    metadata_of,
    moment_text,
    num,
    start_of,
)
from bot.timeutil import parse_ts

TROUBLE = ("reconnect", "disconnect", "ice_restart", "ice restart", "failed", "leaving")


def events_section(participant: Participant) -> Section:
    start = start_of(participant)
    rows: list[tuple[float, int, str]] = []

    def add(moment: datetime | None, text: str, given: str | None) -> None:
        key = moment.timestamp() if moment else math.inf  # no time: last
        rows.append((key, len(rows), f"{moment_text(moment, start, given)}  {text}"))

    for event in participant.peer_events or []:
        name = event.event_name or "peer event"
        mark = {"PEER_JOINING": "🟢", "PEER_LEAVING": "🔴", "PEER_CREATED": "⚪"}.get(name, "•")
        extra = []
        if event.preset_view_type:
            extra.append(event.preset_view_type.replace("_", " ").lower())
        if event.minutes_consumed is not None:
            extra.append(f"{num(event.minutes_consumed, '{:.1f}')} min consumed")
        detail = f" ({inline(', '.join(extra))})" if extra else ""
        add(parse_ts(event.created_at), f"{mark} *{inline(name)}*{detail}", event.created_at)
    metadata = metadata_of(participant)
    for item in (metadata.events if metadata else None) or []:
        name = item.name or "event"
        trouble = any(word in name.lower() for word in TROUBLE)
        mark = "⚠️" if trouble else "•"
        label = f"*{inline(clip(name, 80))}*" if trouble else inline(clip(name, 80))
        meta = meta_text(item.metadata)
        add(
            parse_ts(item.timestamp),
            f"{mark} {label}" + (f" — {meta}" if meta else ""),
            item.timestamp,
        )
    for key, noun in (
        ("audio_devices_updates", "microphone"),
        ("video_devices_updates", "camera"),
        ("speaker_devices_updates", "speaker"),
    ):
        for update in (getattr(metadata, key, None) if metadata else None) or []:
            added, removed = device_labels(update, "added"), device_labels(update, "removed")
            if added:
                add(
                    parse_ts(update.timestamp),
                    f"🔌 {noun} added: {', '.join(added)}",
                    update.timestamp,
                )
            if removed:
                add(
                    parse_ts(update.timestamp),
                    f"🔌 {noun} removed: {', '.join(removed)}",
                    update.timestamp,
                )
    for selected in (metadata.selected_device_updates if metadata else None) or []:
        device = selected.device
        if device is not None:
            label = inline(clip(device.label or device.device_id or "unnamed", 80))
            kind = inline(device.kind or "device")
            add(parse_ts(selected.timestamp), f"🎚️ selected {kind}: {label}", selected.timestamp)
    rows.sort(key=lambda r: (r[0], r[1]))
    troubled = sum(1 for *_, text in rows if "⚠️" in text)
    intro = f"{len(rows)} events" + (f", {troubled} connection problems (⚠️)" if troubled else "")
    return Section(
        TITLES["events"],
        intro + ". Times are from the join (UTC clock after).",
        [text for *_, text in rows],
        empty="No events in this report — it may have been fetched without peer events "
        "(`include_peer_events`) or with a filter.",
    )
