"""The device & IP view: OS, browser, SDK, connectivity, masked location, device changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.realtimekit.models import Participant
from bot.render.escape import escape_mrkdwn, inline, one_line
from bot.render.limits import clip
from bot.render.privacy import mask_location
from bot.render.sections.content import (
    TITLES,
    Section,
    device_labels,
    metadata_of,
    moment_text,
    num,
    start_of,
)
from bot.timeutil import parse_ts

if TYPE_CHECKING:
    from bot.health import Assessment


def device_section(participant: Participant, assessment: Assessment, show_ip: bool) -> Section:
    metadata = metadata_of(participant)
    rows: list[str] = []
    if metadata is None:
        return Section(TITLES["device"], "", [], empty="No device metadata in this report.")
    info, browser = metadata.device_info, metadata.browser_metadata
    if info is not None:
        kind = "mobile" if info.is_mobile else "desktop" if info.is_mobile is False else "?"
        rows.append(
            f"*Device* · {inline(info.os or '?')} {inline(info.os_version or '')} · {kind} · "
            f"{num(info.cpus)} CPUs"
        )
    if browser is not None:
        webgl = {True: "yes", False: "no", None: "?"}[browser.webgl_support]
        rows.append(
            f"*Browser* · {inline(browser.browser or '?')} {inline(browser.browser_version or '')}"
            f" ({inline(browser.engine or '?')}) · WebGL {webgl}\n"
            f"`{inline(clip(browser.user_agent or '(no user agent)', 300))}`"
        )
    sdk = " ".join(
        inline(x) for x in (metadata.sdk_name, metadata.sdk_type, metadata.sdk_version) if x
    )
    if sdk:
        rows.append(f"*SDK* · {sdk}")
    native = metadata.native_metadata
    if native is not None and (native.audio_encoder or native.video_encoder):
        rows.append(
            f"*Native encoders* · audio {inline(native.audio_encoder or '?')}, "
            f"video {inline(native.video_encoder or '?')}"
        )
    for pc in metadata.pc_metadata or []:
        flags = ", ".join(
            f"{name} {'✅' if value else '❌' if value is False else '?'}"
            for name, value in (
                ("STUN", pc.reflexive_connectivity),
                ("relay", pc.relay_connectivity),
                ("TURN", pc.turn_connectivity),
            )
        )
        rows.append(
            f"*Connectivity check* · network {inline(pc.effective_network_type or '?')} · {flags}"
        )
    # The pre-call test is not in the published schema: shown as the assessment read it (an
    # unknown key is never read here by name; it appears as sent only in the raw view).
    for finding in assessment.areas["network"].findings:
        if finding.code.startswith("network.precall"):
            rows.append(
                f"*Pre-call network test* · {escape_mrkdwn(clip(one_line(finding.message), 400))}"
            )
    where = mask_location(metadata.ip_information, show_ip)
    if where:
        shown = " · ".join(escape_mrkdwn(v) for v in where.values())
        note = "" if show_ip else " _(masked: full details only to you, on request)_"
        rows.append(f"*Network location* · {shown}{note}")
    churn = 0
    start = start_of(participant)
    for key, noun in (
        ("audio_devices_updates", "microphone"),
        ("video_devices_updates", "camera"),
        ("speaker_devices_updates", "speaker"),
    ):
        for update in getattr(metadata, key) or []:
            for verb in ("added", "removed"):
                labels = device_labels(update, verb)
                if labels:
                    churn += 1
                    when = moment_text(parse_ts(update.timestamp), start, update.timestamp)
                    rows.append(f"{when} 🔌 {noun} {verb}: {', '.join(labels)}")
    for selected in metadata.selected_device_updates or []:
        if selected.device is not None:
            label = inline(clip(selected.device.label or selected.device.device_id or "?", 80))
            when = moment_text(parse_ts(selected.timestamp), start, selected.timestamp)
            rows.append(f"{when} 🎚️ selected {inline(selected.device.kind or 'device')}: {label}")
    return Section(
        TITLES["device"],
        f"Device, browser and network details; {churn} device add/remove updates.",
        rows,
        empty="No device metadata in this report.",
        reveal_ip=not show_ip and bool(metadata.ip_information),
    )
