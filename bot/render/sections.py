"""Drill-down views: events timeline, candidate pairs, per-track quality, device & IP, raw.

Each section is built once as a list of *rows* (pre-formatted, pre-escaped mrkdwn) and then
laid out three ways: a paginated modal, a message (≤ 50 blocks, paginated too) and terminal
text (everything, unpaginated). Nothing is cut silently: every page says where it is and
the Previous/Next buttons carry the page in their value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.health.tracks import TRACKS, Track
from bot.health.values import ms
from bot.identifiers import SECTION_TITLES, SECTION_WORDS
from bot.realtimekit.models import (
    AudioConsumerCumulative,
    AudioProducerCumulative,
    AudioProducerSample,
    CandidatePair,
    DeviceUpdate,
    Participant,
    ReportMetadata,
    VideoConsumerCumulative,
    VideoProducerCumulative,
    VideoProducerSample,
)
from bot.render.actions import PAGE_NEXT, PAGE_PREV, REVEAL_IP, encode_value
from bot.render.environment import render_template
from bot.render.escape import code, escape_mrkdwn, inline, one_line
from bot.render.limits import clip, enforce_message, enforce_view
from bot.render.privacy import (
    Masker,
    mask_location,
    mask_report_data,
    mask_shared,
    masked_report,
    shown_ip,
)
from bot.render.rawjson import exact_dumps, load_exact
from bot.render.summary import display_name
from bot.render.text import not_measured_line
from bot.timeutil import fmt_offset, fmt_stamp, parse_ts

SECTIONS = SECTION_WORDS
TITLES: dict[str, str] = {str(section): title for section, title in SECTION_TITLES.items()}
#: Rows per page: a modal holds 100 blocks, a message 50 (a few go to headers and buttons).
VIEW_PAGE = 25
MESSAGE_PAGE = 20
SPARK = "▁▂▃▄▅▆▇█"
TROUBLE = ("reconnect", "disconnect", "ice_restart", "ice restart", "failed", "leaving")


@dataclass
class Section:
    """A section's content: an intro line, rows (one block each), notes after them."""

    title: str
    intro: str
    rows: list[str] = field(default_factory=list)
    empty: str = ""
    reveal_ip: bool = False


# --- helpers ---------------------------------------------------------------------------------


def _start(participant: Participant) -> datetime | None:
    return parse_ts(participant.joined_at) or parse_ts(participant.created_at)


def _when(moment: datetime | None, start: datetime | None, given: str | None = None) -> str:
    if moment is None:
        # A time Python cannot place (unparseable, or beyond year 1..9999 in UTC): as given.
        return f"`{code(clip(given.strip(), 40))}`" if given and given.strip() else "`(no time)`"
    clock = moment.strftime("%H:%M:%S")
    if start is None:
        return f"`{clock}`"
    return f"`{fmt_offset((moment - start).total_seconds())}` {clock}"


def _bitrate(bps: float | None) -> str:
    if bps is None or not math.isfinite(bps) or bps < 0:
        return "?"
    return f"{bps / 1e6:.1f} Mbps" if bps >= 1e6 else f"{bps / 1e3:.0f} kbps"


def _bytes(count: float | None) -> str:
    if count is None or not math.isfinite(count) or count < 0:
        return "?"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count:.0f} B"


#: Printed numbers stay this narrow: beyond it, three significant digits (``1.23e+12``).
WIDE = 1e9


def _num(value: float | None, fmt: str = "{:.0f}") -> str:
    """A number as text of sane width; ``?`` when not measured."""
    if value is None or isinstance(value, bool) or not math.isfinite(value):
        return "?"
    if abs(value) >= WIDE:
        return f"{value:.3g}"
    return fmt.format(value)


def _pct(share: float | None) -> str:
    """A 0..1 share as a percentage (``?`` when not measured)."""
    return _num(None if share is None else share * 100)


def _meta(metadata: dict[str, Any] | None) -> str:
    if not metadata:
        return ""
    parts = [f"{inline(str(k))}={inline(str(v))}" for k, v in list(metadata.items())[:8]]
    return clip(" · ".join(parts), 400)


def _device_label(update: DeviceUpdate, key: str) -> list[str]:
    devices = getattr(update, key) or []
    return [inline(clip(d.label or d.device_id or "unnamed device", 80)) for d in devices]


def _metadata(participant: Participant) -> ReportMetadata | None:
    return participant.peer_report.metadata if participant.peer_report else None


# --- events ------------------------------------------------------------------------------------


def _events(participant: Participant) -> Section:
    start = _start(participant)
    rows: list[tuple[float, int, str]] = []

    def add(moment: datetime | None, text: str, given: str | None) -> None:
        key = moment.timestamp() if moment else math.inf  # no time: last
        rows.append((key, len(rows), f"{_when(moment, start, given)}  {text}"))

    for event in participant.peer_events or []:
        name = event.event_name or "peer event"
        mark = {"PEER_JOINING": "🟢", "PEER_LEAVING": "🔴", "PEER_CREATED": "⚪"}.get(name, "•")
        extra = []
        if event.preset_view_type:
            extra.append(event.preset_view_type.replace("_", " ").lower())
        if event.minutes_consumed is not None:
            extra.append(f"{_num(event.minutes_consumed, '{:.1f}')} min consumed")
        detail = f" ({inline(', '.join(extra))})" if extra else ""
        add(parse_ts(event.created_at), f"{mark} *{inline(name)}*{detail}", event.created_at)
    metadata = _metadata(participant)
    for item in (metadata.events if metadata else None) or []:
        name = item.name or "event"
        trouble = any(word in name.lower() for word in TROUBLE)
        mark = "⚠️" if trouble else "•"
        label = f"*{inline(clip(name, 80))}*" if trouble else inline(clip(name, 80))
        meta = _meta(item.metadata)
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
            added, removed = _device_label(update, "added"), _device_label(update, "removed")
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


# --- candidate pairs ---------------------------------------------------------------------------


def path_meaning(pair: CandidatePair) -> str:
    """One plain sentence on what the path means for the call."""
    kind = (pair.local_candidate_type or "").lower()
    protocol = (pair.local_candidate_protocol or "").lower()
    url = (pair.local_candidate_url or "").lower()
    port = pair.remote_candidate_port
    over_tls = url.startswith("turns:") or "transport=tls" in url or protocol == "tls"
    if kind == "relay" and (over_tls or protocol == "tcp" or "transport=tcp" in url):
        via = "TLS" if over_tls else "TCP"
        where = f" {_num(port)}" if port else ""
        return (
            f"Relayed via TURN over {via}{where} — usually a firewall or proxy blocks UDP; "
            "expect extra latency and bursty loss."
        )
    if kind == "relay":
        return "Relayed via TURN over UDP — works, but adds a hop; direct UDP is usually blocked."
    if protocol == "tcp":
        return "Direct but over TCP — UDP is blocked; expect delay when packets are lost."
    if kind == "srflx" or kind == "prflx":
        return "Direct UDP through NAT (STUN) — the normal, best path."
    if kind == "host":
        return "Direct UDP from the device's own address — the best path."
    return "Path type not reported."


def _pair_text(pair: CandidatePair, show_ip: bool, *, title: str) -> str:
    local = " ".join(
        p
        for p in (
            inline(pair.local_candidate_type or "?"),
            inline((pair.local_candidate_protocol or "?").upper()),
            inline(shown_ip(pair.local_candidate_address, show_ip) or "?")
            + (f":{_num(pair.local_candidate_port)}" if pair.local_candidate_port else ""),
        )
    )
    remote = " ".join(
        p
        for p in (
            inline(pair.remote_candidate_type or "?"),
            inline(pair.remote_candidate_address or "?")
            + (f":{_num(pair.remote_candidate_port)}" if pair.remote_candidate_port else ""),
        )
    )
    rtt = pair.current_round_trip_time
    lines = [
        f"*{title}*" + (" · nominated ✅" if pair.nominated else ""),
        f"local {local} → remote {remote}",
        f"RTT {_num(rtt * 1000 if rtt is not None else None)} ms"
        f" · out {_bitrate(pair.available_outgoing_bitrate)}"
        f" · in {_bitrate(pair.available_incoming_bitrate)}"
        f" · sent {_bytes(pair.bytes_sent)} / received {_bytes(pair.bytes_received)}"
        f" · packets {_num(pair.packets_sent)} / {_num(pair.packets_received)}",
    ]
    if pair.local_candidate_url:
        lines.append(f"relay `{inline(clip(pair.local_candidate_url, 120))}`")
    if pair.nominated:
        lines.append(f"_{path_meaning(pair)}_")
    return "\n".join(lines)


def _pairs(participant: Participant, show_ip: bool) -> Section:
    metadata = _metadata(participant)
    pairs = metadata.candidate_pairs if metadata else None
    rows: list[str] = []
    total = 0
    for transport, label in (
        ("producing_transport", "Sending"),
        ("consuming_transport", "Receiving"),
    ):
        items = list((getattr(pairs, transport, None) if pairs else None) or [])
        total += len(items)
        items.sort(key=lambda p: not p.nominated)
        for index, pair in enumerate(items, 1):
            rows.append(_pair_text(pair, show_ip, title=f"{label} transport · pair {index}"))
    masked = "" if show_ip else " Customer addresses are masked."
    return Section(
        TITLES["pairs"],
        f"{total} ICE candidate pairs; the nominated (in-use) pair of each transport first."
        + masked,
        rows,
        empty="No candidate pairs in this report — the peer may not have connected media, or "
        "the report was fetched with a filter.",
    )


# --- quality -----------------------------------------------------------------------------------


def sparkline(values: Sequence[float], buckets: int = 24) -> str:
    """``▁▂▃█`` over ``buckets`` equal slices (mean of each), scaled to the data's range.

    Total: non-finite values are skipped, and the arithmetic cannot overflow even for values
    near ±1.8e308 (each is halved before it is summed or subtracted).
    """
    clean = [v for v in values if isinstance(v, int | float) and math.isfinite(v)]
    if not clean:
        return ""
    size = max(1, math.ceil(len(clean) / buckets))
    halves = [
        sum(v / 2 / len(c) for v in c)
        for i in range(0, len(clean), size)
        if (c := clean[i : i + size])
    ]
    low, high = min(halves), max(halves)
    span = high / 2 - low / 2
    if not span > 1e-12:
        return SPARK[0] * len(halves)
    return "".join(SPARK[min(7, max(0, int((m / 2 - low / 2) / span * 7.999)))] for m in halves)


Cumulative = AudioConsumerCumulative | AudioProducerCumulative


def _track_text(track: Track, samples: Sequence[Any], cumulative: Cumulative | None) -> str:
    """Only documented fields, by type: an unknown key never reaches a view (raw aside)."""
    lines = [f"*{track.label[0].upper() + track.label[1:]}* · {len(samples)} samples"]
    parts: list[str] = []
    mos = cumulative.quality_mos if cumulative is not None else None
    if mos is not None and mos.avg is not None:
        parts.append(
            f"MOS {_num(mos.avg, '{:.2f}')} "
            f"(p50 {_num(mos.p50, '{:.2f}')}, p90 {_num(mos.p90, '{:.2f}')})"
        )
    loss = cumulative.packet_loss if cumulative is not None else None
    if loss is not None and loss.avg is not None:
        parts.append(
            f"loss {_num(loss.avg, '{:.2f}')}% (≥5% in {_pct(loss.ge_5 or 0)}% of samples, "
            f"≥10% in {_pct(loss.ge_10 or 0)}%)"
        )
    rtt = cumulative.rtt if isinstance(cumulative, AudioProducerCumulative) else None
    if rtt is not None and rtt.avg is not None:
        parts.append(f"RTT {_num(rtt.avg)} ms (≥250 ms in {_pct(rtt.ge_250ms or 0)}%)")
    jb = cumulative.jitter_buffer_delay if isinstance(cumulative, AudioConsumerCumulative) else None
    if jb is not None and jb.avg is not None:
        parts.append(f"jitter buffer {_num(jb.avg)} ms")
    video = (
        cumulative
        if isinstance(cumulative, VideoConsumerCumulative | VideoProducerCumulative)
        else None
    )
    fps = video.frame_per_second if video is not None else None
    if fps is not None and fps.avg is not None:
        parts.append(f"{_num(fps.avg, '{:.1f}')} fps")
    width = video.frame_width if video is not None else None
    if width is not None and width.avg is not None:
        parts.append(f"width {_num(width.avg)}px")
    issues = cumulative.issues if isinstance(cumulative, VideoProducerCumulative) else None
    cpu = issues.cpu_quality_limitation_fraction if issues is not None else None
    bandwidth = issues.bandwidth_quality_limitation_fraction if issues is not None else None
    if cpu:
        parts.append(f"CPU-limited {_pct(cpu)}%")
    if bandwidth:
        parts.append(f"bandwidth-limited {_pct(bandwidth)}%")
    lines.append(" · ".join(parts) if parts else "_no cumulative summary_")
    moses = [s.mos_quality for s in samples if s.mos_quality is not None]
    if moses:
        lines.append(f"MOS over time `{sparkline(moses)}`")
    rtts = [
        v
        for s in samples
        if isinstance(s, AudioProducerSample | VideoProducerSample) and (v := ms(s.rtt)) is not None
    ]
    if rtts:
        lines.append(f"RTT over time  `{sparkline(rtts)}`")
    return "\n".join(lines)


def _quality(participant: Participant) -> Section:
    from bot.health import assess

    quality = participant.peer_report.quality if participant.peer_report else None
    rows: list[str] = []
    for track in TRACKS:
        samples = (getattr(quality, track.key, None) if quality else None) or []
        cumulative = getattr(quality, f"{track.key}_cumulative", None) if quality else None
        if samples or cumulative is not None:
            rows.append(_track_text(track, samples, cumulative))
    findings = assess(participant).areas["quality"].findings
    worst = [f for f in findings if f.severity != "info"][:5]
    intro = "Per track: cumulative summary first, then the shape over the call."
    if participant.not_measured_count:
        intro += "\n" + not_measured_note(participant)
    if worst:
        intro += "\n*Worst periods:*\n" + "\n".join(
            f"• {escape_mrkdwn(clip(f.message, 500))}" for f in worst
        )
    return Section(
        TITLES["quality"],
        clip(intro, 2900),
        rows,
        empty="No quality stats in this report — it may have been fetched with a filter, or "
        "the peer never sent or received media.",
    )


def not_measured_note(participant: Participant) -> str:
    """One line on numbers refused as absurd (mrkdwn, escaped); ``""`` when there were none."""
    if not participant.not_measured_count:
        return ""
    return f"_{inline(clip(not_measured_line(participant), 300))}_"


# --- device & IP -------------------------------------------------------------------------------


def _device(participant: Participant, show_ip: bool) -> Section:
    from bot.health import assess

    metadata = _metadata(participant)
    rows: list[str] = []
    if metadata is None:
        return Section(TITLES["device"], "", [], empty="No device metadata in this report.")
    info, browser = metadata.device_info, metadata.browser_metadata
    if info is not None:
        kind = "mobile" if info.is_mobile else "desktop" if info.is_mobile is False else "?"
        rows.append(
            f"*Device* · {inline(info.os or '?')} {inline(info.os_version or '')} · {kind} · "
            f"{_num(info.cpus)} CPUs"
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
    for finding in assess(participant).areas["network"].findings:
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
    start = _start(participant)
    for key, noun in (
        ("audio_devices_updates", "microphone"),
        ("video_devices_updates", "camera"),
        ("speaker_devices_updates", "speaker"),
    ):
        for update in getattr(metadata, key) or []:
            for verb in ("added", "removed"):
                labels = _device_label(update, verb)
                if labels:
                    churn += 1
                    when = _when(parse_ts(update.timestamp), start, update.timestamp)
                    rows.append(f"{when} 🔌 {noun} {verb}: {', '.join(labels)}")
    for selected in metadata.selected_device_updates or []:
        if selected.device is not None:
            label = inline(clip(selected.device.label or selected.device.device_id or "?", 80))
            when = _when(parse_ts(selected.timestamp), start, selected.timestamp)
            rows.append(f"{when} 🎚️ selected {inline(selected.device.kind or 'device')}: {label}")
    return Section(
        TITLES["device"],
        f"Device, browser and network details; {churn} device add/remove updates.",
        rows,
        empty="No device metadata in this report.",
        reveal_ip=not show_ip and bool(metadata.ip_information),
    )


# --- raw ---------------------------------------------------------------------------------------


RAW_NOTE = (
    "IP addresses, city, region and SDP are masked; ask in a channel listed in "
    "PEER_REPORT_SHOW_IP_IN or run `peer-report show … --section raw` for full values."
)


def render_raw_json(participant: Participant, *, show_ip: bool, raw: bytes | None = None) -> bytes:
    """The report as pretty JSON for the file upload; masked unless allowed, never a token.

    With ``raw`` (the bytes Cloudflare sent) those are printed, every number exactly as
    written (``1e400`` stays ``1e400``, ``0`` stays ``0``) and unknown keys included; without
    it (or if the bytes are not JSON after all) the parsed participant is printed.
    """
    if raw is not None:
        document = load_exact(raw)
        if isinstance(document, dict):
            if not show_ip:
                data = document.get("data")
                inner = data.get("participant") if isinstance(data, dict) else None
                participant_data = inner if isinstance(inner, dict) else document
                # The participant's own addresses and places, found before anything is
                # masked, are then masked by value anywhere in the envelope too.
                masker = Masker.of_data(participant_data)
                masked = mask_report_data(participant_data, show_ip)
                if isinstance(data, dict) and isinstance(inner, dict):
                    data["participant"] = masked
                else:
                    document = masked
                document = {"_note": RAW_NOTE, **masker.apply(document)}
            text = exact_dumps(document)
            if text is not None:
                return (text + "\n").encode()
    data = masked_report(participant, show_ip)
    if not show_ip:
        data = {"_note": RAW_NOTE, **data}
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def _raw(participant: Participant, app_id: str, show_ip: bool, raw: bytes | None) -> Section:
    size = len(raw) if raw is not None else len(render_raw_json(participant, show_ip=show_ip))
    peer = participant.id or "PEER"
    masked = "IP addresses and city are masked." if not show_ip else "Full values."
    return Section(
        TITLES["raw"],
        f"The whole report ({_bytes(size)}) is uploaded as a JSON file in the thread. {masked}",
        [
            f"From a terminal: `peer-report show {inline(app_id or 'APP')} {inline(peer)} "
            "--section raw`"
        ],
    )


# --- layout ------------------------------------------------------------------------------------


def build_section(
    participant: Participant,
    section: str,
    *,
    app_id: str,
    show_ip: bool,
    raw: bytes | None = None,
) -> Section:
    if section == "events":
        return _events(participant)
    if section == "pairs":
        return _pairs(participant, show_ip)
    if section == "quality":
        return _quality(participant)
    if section == "device":
        return _device(participant, show_ip)
    if section == "raw":
        return _raw(participant, app_id, show_ip, raw)
    raise ValueError(f"unknown section {section!r}: expected one of {', '.join(SECTIONS)}")


def _page_blocks(
    content: Section,
    participant: Participant,
    *,
    section: str,
    app_id: str,
    page: int,
    per_page: int,
    channel_id: str | None,
) -> list[dict[str, Any]]:
    pages = max(1, math.ceil(len(content.rows) / per_page))
    page = min(max(1, page), pages)
    shown = content.rows[(page - 1) * per_page : page * per_page]
    peer = participant.id or ""
    name = inline(clip(display_name(participant), 120))
    joined = parse_ts(participant.joined_at)
    who = f"*{name}* · peer `{inline(peer)}`" + (f" · joined {fmt_stamp(joined)}" if joined else "")
    buttons: list[dict[str, str]] = []
    value_extra = {"s": section, "c": channel_id or ""}
    if page > 1:
        buttons.append(
            {
                "action_id": PAGE_PREV,
                "label": "◀ Previous",
                "value": encode_value(app_id, peer, pg=page - 1, **value_extra),
            }
        )
    if page < pages:
        buttons.append(
            {
                "action_id": PAGE_NEXT,
                "label": "Next ▶",
                "value": encode_value(app_id, peer, pg=page + 1, **value_extra),
            }
        )
    if content.reveal_ip:
        buttons.append(
            {
                "action_id": REVEAL_IP,
                "label": "Show full IP (only to me)",
                "value": encode_value(app_id, peer, c=channel_id or ""),
            }
        )
    position = f"Page {page} of {pages} · {len(content.rows)} items" if pages > 1 else ""
    payload = render_template(
        "section.json.j2",
        who=clip(who, 3000),
        intro=clip(content.intro, 3000) if content.intro else "",
        rows=[clip(r, 3000) for r in shown] or [escape_mrkdwn(content.empty or "Nothing here.")],
        position=position,
        buttons=buttons,
    )
    blocks: list[dict[str, Any]] = payload["blocks"]
    return blocks


def render_section_view(
    participant: Participant,
    section: str,
    *,
    app_id: str,
    show_ip: bool,
    page: int = 1,
    channel_id: str | None = None,
) -> dict[str, Any]:
    """A modal for one drill-down (≤ 100 blocks, paginated)."""
    content = build_section(participant, section, app_id=app_id, show_ip=show_ip)
    blocks = _page_blocks(
        content,
        participant,
        section=section,
        app_id=app_id,
        page=page,
        per_page=VIEW_PAGE,
        channel_id=channel_id,
    )
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": content.title},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks,
    }
    return mask_shared(enforce_view(view), participant, show_ip)


def render_section_blocks(
    participant: Participant,
    section: str,
    *,
    app_id: str,
    show_ip: bool,
    page: int = 1,
    raw: bytes | None = None,
) -> dict[str, Any]:
    """The same content as a message payload (≤ 50 blocks, paginated)."""
    content = build_section(participant, section, app_id=app_id, show_ip=show_ip, raw=raw)
    blocks = _page_blocks(
        content,
        participant,
        section=section,
        app_id=app_id,
        page=page,
        per_page=MESSAGE_PAGE,
        channel_id=None,
    )
    text = f"{content.title} for {one_line(display_name(participant))}"
    payload = enforce_message({"text": escape_mrkdwn(clip(text, 300)), "blocks": blocks})
    return mask_shared(payload, participant, show_ip)


def render_section_text(
    participant: Participant, section: str, *, show_ip: bool, raw: bytes | None = None
) -> str:
    """Terminal text of the whole section (no pagination); ``raw`` prints the JSON itself."""
    if section == "raw":
        return render_raw_json(participant, show_ip=show_ip, raw=raw).decode()
    content = build_section(participant, section, app_id="", show_ip=show_ip, raw=raw)
    # One title line whatever the name holds (a newline in it must not forge a second).
    lines = [f"{content.title} — {one_line(display_name(participant))}", content.intro, ""]
    lines += content.rows or [content.empty]
    return _plain("\n".join(lines)) + "\n"


def _plain(text: str) -> str:
    """mrkdwn → terminal: undo our escapes and markup characters."""
    for old, new in (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"), ("\u200b", "")):
        text = text.replace(old, new)
    return "".join(ch for ch in text if ch.isprintable() or ch == "\n")
