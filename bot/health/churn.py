"""Device churn: microphones, cameras and speakers plugged, removed or switched (pure).

Devices listed at join time are the initial enumeration, not churn. Churn is a cause only when
media suffered: alone it is at most a warning (issue 13: churn by itself is a nuisance,
not a failed call).
"""

from __future__ import annotations

from collections import Counter

from bot.health import codes as C
from bot.health import thresholds as T
from bot.health.findings import STATUS_SEVERITY, Findings, band
from bot.health.model import Severity, Status
from bot.health.timeline import TimestampCache
from bot.health.values import clock
from bot.realtimekit.models import DeviceUpdate, ReportMetadata

_LABEL_MAX = 40


def _severity(status: Status, media_suffered: bool) -> Severity:
    severity = STATUS_SEVERITY[status]
    if severity == "critical" and not media_suffered:
        return "warning"
    return severity


def label(text: str | None) -> str:
    """A device label for a message: whitespace folded, clipped, never empty."""
    if not text:
        return "unnamed device"
    clean = " ".join(text.split())
    return clean if len(clean) <= _LABEL_MAX else clean[: _LABEL_MAX - 1] + "…"


def assess_churn(
    metadata: ReportMetadata,
    found: Findings,
    times: TimestampCache,
    start: float | None,
    *,
    media_suffered: bool = False,
) -> None:
    """Device plug/unplug and switch findings.

    Churn alone is at most a warning: it is critical only when the call's media also suffered.
    Device lists say nothing about whether the device worked, so they never make the area
    known by themselves; a churn finding does, through its severity.
    """
    lists = (
        metadata.audio_devices_updates,
        metadata.video_devices_updates,
        metadata.speaker_devices_updates,
    )
    selected = metadata.selected_device_updates
    if all(lst is None for lst in lists) and selected is None:
        return

    changes = 0
    labels: Counter[str] = Counter()
    stamps: list[float] = []
    for updates in lists:
        for index, update in enumerate(updates or []):
            t = times.epoch(update.timestamp)
            if _initial_enumeration(update, index, t, start):
                continue
            for device in (update.added or []) + (update.removed or []):
                changes += 1
                labels[label(device.label)] += 1
            if t is not None and (update.added or update.removed):
                stamps.append(t)

    switches = 0
    by_kind: Counter[str] = Counter()
    seen_kinds: set[str] = set()
    switch_labels: list[str] = []
    switch_stamps: list[float] = []
    for choice in selected or []:
        chosen = choice.device
        kind = (chosen.kind if chosen else None) or "device"
        if kind not in seen_kinds:
            seen_kinds.add(kind)
            continue
        switches += 1
        by_kind[_kind_name(kind)] += 1
        if chosen is not None:
            switch_labels.append(label(chosen.label))
        t = times.epoch(choice.timestamp)
        if t is not None:
            switch_stamps.append(t)

    found.metric("device_updates", changes)
    found.metric("device_switches", switches)
    change_status = band(changes, T.DEVICE_UPDATES_FAIR + 1, T.DEVICE_UPDATES_POOR)
    switch_status = band(switches, T.DEVICE_SWITCHES_FAIR + 1, T.DEVICE_SWITCHES_POOR)
    if change_status != "good":
        common = ", ".join(f"'{name}'" for name, _ in labels.most_common(2))
        found.add(
            _severity(change_status, media_suffered),
            C.DEVICE_CHURN,
            f"Audio/video devices were plugged in or removed {changes} times after joining"
            f"{_span(stamps)}, most often {common} — typical of a loose USB/Bluetooth headset, "
            "a docking station or OS audio routing.",
            f"{changes} device plug/unplug events",
        )
    if switch_status != "good":
        kinds = ", ".join(f"{kind} {count}" for kind, count in by_kind.most_common())
        recent = _distinct(switch_labels)
        examples = f", switching between {recent}" if recent else ""
        found.add(
            _severity(switch_status, media_suffered),
            C.DEVICE_SWITCHES,
            f"The selected device changed {switches} times ({kinds}"
            f"{', ' + _span_text(switch_stamps) if switch_stamps else ''})"
            f"{examples} — each switch interrupts audio or video briefly.",
            f"{switches} device switches",
        )
    if change_status == "good" and switch_status == "good" and (changes or switches):
        found.add(
            "info",
            C.DEVICE_CHANGES,
            f"{changes} device plug/unplug event{'s' if changes != 1 else ''} and {switches} "
            f"device switch{'es' if switches != 1 else ''} during the call"
            f"{_span(stamps + switch_stamps)}.",
        )


def _initial_enumeration(
    update: DeviceUpdate, index: int, t: float | None, start: float | None
) -> bool:
    """Devices listed at join time are the initial enumeration, not churn (**heuristic**)."""
    if t is not None and start is not None:
        return t <= start + T.DEVICE_ENUMERATION_GRACE_S
    return index == 0 and not update.removed


def _kind_name(kind: str) -> str:
    return {
        "audioinput": "microphone",
        "videoinput": "camera",
        "audiooutput": "speaker",
    }.get(kind, kind)


def _distinct(labels: list[str], limit: int = 2) -> str:
    out: list[str] = []
    for label in labels:
        if label not in out:
            out.append(label)
        if len(out) == limit:
            break
    return " and ".join(f"'{label}'" for label in out)


def _span_text(stamps: list[float]) -> str:
    if not stamps:
        return ""
    first, last = min(stamps), max(stamps)
    if last - first < 60:
        return f"around {clock(first)} UTC"
    return f"between {clock(first)} and {clock(last)} UTC"


def _span(stamps: list[float]) -> str:
    text = _span_text(stamps)
    return f" ({text})" if text else ""
