"""Build realistic peer-report envelopes (the API's own JSON shape), deterministically.

Used for the bundled demo samples (``python -m bot.samples.regenerate``), for tests and for the
benchmarks' 4-hour report. Per-sample ``packets_*``/``bytes_*`` are getStats-style monotonic
counters; per-sample ``rtt`` and ``jitter`` are in **seconds** (W3C getStats units); the
``*_cumulative`` objects are computed from the samples (loss ``avg`` in percent, latency ``avg``
in ms, fractions 0..1), so the summary always agrees with the timeline.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

Json = dict[str, Any]
Window = tuple[float, float, float]  # (start_s, end_s, value during the window)

START = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
TRACK_KEYS = (
    "audio_producer",
    "audio_consumer",
    "video_producer",
    "video_consumer",
    "screenshare_video_producer",
    "screenshare_video_consumer",
    "screenshare_audio_producer",
    "screenshare_audio_consumer",
)


@dataclass(frozen=True)
class Scenario:
    """Every knob of a synthetic call."""

    name: str
    peer_id: str
    session_id: str
    display_name: str = "Ada Lovelace"
    custom_participant_id: str = "cust-1042"
    duration_s: int = 30 * 60
    sample_every_s: int = 5
    tracks: tuple[str, ...] = TRACK_KEYS[:4]
    loss_pct: float = 0.2
    loss_windows: tuple[Window, ...] = ()
    rtt_ms: float = 40.0
    rtt_windows: tuple[Window, ...] = ()
    jitter_ms: float = 8.0
    fps: float = 30.0
    frame_width: float = 1280.0
    limitation: str = "none"  # cpu | bandwidth | none
    limitation_windows: tuple[tuple[float, float], ...] = ()
    candidate_type: str = "srflx"
    protocol: str = "udp"
    relay_url: str | None = None
    reflexive_ok: bool = True
    relay_ok: bool = True
    turn_ok: bool = True
    network_type: str = "4g"
    #: Who sent what this participant received (consumer samples name the remote sender);
    #: by default one other peer, derived from ``peer_id`` so samples stay deterministic.
    remote_peer_id: str | None = None
    local_network_type: str = "wifi"
    os: str = "macOS"
    os_version: str = "14.5"
    is_mobile: bool = False
    cpus: int = 8
    browser: str = "Chrome"
    browser_version: str = "155.0.7600.40"
    sdk_name: str = "@cloudflare/realtimekit"
    sdk_version: str = "2.0.2"
    device_churn: int = 0
    device_switches: int = 0
    device_label: str = "MacBook Pro Microphone"
    churn_label: str = "Jabra Evolve2 65"
    reconnects: tuple[float, ...] = ()
    extra_pairs: int = 1
    extra_events: int = 0
    country: str = "DE"
    city: str = "Berlin"
    asn: str = "3320"
    asn_name: str = "Deutsche Telekom AG"
    ipv4: str = "203.0.113.7"
    sections: frozenset[str] = field(
        default_factory=lambda: frozenset(
            {
                "device",
                "browser",
                "ip",
                "pairs",
                "pc",
                "events",
                "devices",
                "quality",
                "peer_events",
            }
        )
    )


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _in(windows: tuple[Window, ...], t: float, base: float) -> float:
    for start, end, value in windows:
        if start <= t < end:
            return value
    return base


def _limited(s: Scenario, t: float) -> str:
    if s.limitation == "none":
        return "none"
    return s.limitation if any(a <= t < b for a, b in s.limitation_windows) else "none"


def mos_from(loss_pct: float, rtt_ms: float, jitter_ms: float) -> float:
    """A simplified E-model: R from delay and loss, then ITU-T G.107's R → MOS mapping."""
    delay = rtt_ms / 2 + 2 * jitter_ms + 10
    r = 93.2 - (0.024 * delay + (0.11 * (delay - 177.3) if delay > 177.3 else 0.0))
    r -= 2.5 * loss_pct if loss_pct < 10 else 25 + 1.2 * (loss_pct - 10)
    r = max(0.0, min(100.0, r))
    return round(max(1.0, min(4.5, 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r))), 2)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


def _percentiles(values: list[float], digits: int = 2) -> Json:
    if not values:
        return {}
    return {
        "avg": round(sum(values) / len(values), digits),
        "p50": round(_pct(values, 0.5), digits),
        "p75": round(_pct(values, 0.75), digits),
        "p90": round(_pct(values, 0.9), digits),
    }


def _share(values: list[float], limit: float) -> float:
    return round(sum(1 for v in values if v >= limit) / len(values), 4) if values else 0.0


def _loss_cum(losses: list[float]) -> Json:
    return {
        "avg": round(sum(losses) / len(losses), 3) if losses else 0.0,
        "5_or_greater_event_fraction": _share(losses, 5),
        "10_or_greater_event_fraction": _share(losses, 10),
        "25_or_greater_event_fraction": _share(losses, 25),
        "50_or_greater_event_fraction": _share(losses, 50),
    }


def _latency_cum(values_ms: list[float]) -> Json:
    return {
        "avg": round(sum(values_ms) / len(values_ms), 1) if values_ms else 0.0,
        "100ms_or_greater_event_fraction": _share(values_ms, 100),
        "250ms_or_greater_event_fraction": _share(values_ms, 250),
        "500ms_or_greater_event_fraction": _share(values_ms, 500),
    }


def _track(s: Scenario, key: str, rng: random.Random) -> tuple[list[Json], Json]:
    """Samples and the cumulative summary of one track list."""
    producer = key.endswith("producer")
    video = "video" in key
    screen = key.startswith("screenshare")
    pps = (300.0 if not screen else 120.0) if video else 50.0
    ident = f"{key}-{s.peer_id[:8]}"
    rows: list[Json] = []
    counters = {"packets": 0.0, "lost": 0.0, "bytes": 0.0, "frames": 0.0, "jbd": 0.0, "emit": 0.0}
    durations = {"cpu": 0.0, "bandwidth": 0.0, "none": 0.0, "other": 0.0}
    losses: list[float] = []
    rtts: list[float] = []
    jbs: list[float] = []
    moses: list[float] = []
    fpss: list[float] = []
    widths: list[float] = []
    limited = {"cpu": 0, "bandwidth": 0}
    step = s.sample_every_s
    for t in range(step, s.duration_s + 1, step):
        loss = max(0.0, _in(s.loss_windows, t, s.loss_pct) * rng.uniform(0.6, 1.4))
        rtt = max(5.0, _in(s.rtt_windows, t, s.rtt_ms) * rng.uniform(0.85, 1.15))
        jitter = max(0.5, s.jitter_ms * rng.uniform(0.7, 1.3) + (loss / 2))
        mos = mos_from(loss, rtt, jitter)
        sent = pps * step
        lost = sent * loss / 100
        counters["packets"] += sent - (0 if producer else lost)
        counters["lost"] += lost
        counters["bytes"] += sent * (1100 if video else 160)
        row: Json = {
            "timestamp": iso(START + timedelta(seconds=t)),
            "mid": "0" if not video else "1",
            "ssrc": 1000 + TRACK_KEYS.index(key),
            "mos_quality": mos,
            "packets_lost": round(counters["lost"]),
            "jitter": round(jitter / 1000, 4),
        }
        if producer:
            row.update(
                producer_id=ident,
                packets_sent=round(counters["packets"]),
                bytes_sent=round(counters["bytes"]),
                rtt=round(rtt / 1000, 4),
            )
            rtts.append(rtt)
        else:
            jb_ms = 40 + jitter * 2 + (rtt - s.rtt_ms) * 0.3
            counters["jbd"] += jb_ms / 1000 * pps * step
            counters["emit"] += pps * step
            row.update(
                consumer_id=ident,
                producer_id=f"remote-{key}",
                peer_id=s.remote_peer_id or "0e0e0e0e" + s.peer_id[8:],
                packets_received=round(counters["packets"]),
                bytes_received=round(counters["bytes"]),
                jitter_buffer_delay=round(counters["jbd"], 3),
                jitter_buffer_emitted_count=round(counters["emit"]),
            )
            if not video:
                row["concealment_events"] = round(counters["lost"] / 3)
            jbs.append(max(0.0, jb_ms))
        if video:
            state = _limited(s, t) if producer else "none"
            fps = s.fps if not screen else 5.0
            width = s.frame_width if not screen else 1920.0
            if state == "cpu":
                fps, width = fps * 0.45, width / 2
                limited["cpu"] += 1
            elif state == "bandwidth":
                fps, width = fps * 0.7, width / 2
                limited["bandwidth"] += 1
            if loss > 8 and not producer:
                fps *= 0.6
            durations[state] += step
            fps = round(fps * rng.uniform(0.95, 1.02), 1)
            counters["frames"] += fps * step
            row.update(
                frames_per_second=fps,
                frame_width=width,
                frame_height=round(width * 9 / 16),
                fir_count=0,
            )
            if producer:
                row.update(
                    frames_encoded=round(counters["frames"]),
                    key_frames_encoded=round(counters["frames"] / 90),
                    pli_count=round(counters["lost"] / 50),
                    quality_limitation_reason=state,
                    quality_limitation_durations={k: round(v, 1) for k, v in durations.items()},
                    quality_limitation_resolution_changes=sum(
                        1 for a, b in s.limitation_windows if b <= t
                    )
                    * 2,
                )
            else:
                row.update(
                    frames_decoded=round(counters["frames"]),
                    frames_dropped=round(counters["lost"] / 20),
                    key_frames_decoded=round(counters["frames"] / 90),
                    jitter_buffer_delay=row["jitter_buffer_delay"],
                )
            fpss.append(fps)
            widths.append(width)
        losses.append(loss)
        moses.append(mos)
        rows.append(row)
    cumulative: Json = {"packet_loss": _loss_cum(losses), "quality_mos": _percentiles(moses)}
    if producer:
        cumulative["rtt"] = _latency_cum(rtts)
    else:
        cumulative["jitter_buffer_delay"] = _latency_cum(jbs)
    if video:
        n = max(1, len(rows))
        cumulative["frame_per_second"] = _percentiles(fpss, 1)
        cumulative["frame_width"] = _percentiles(widths, 0)
        if producer:
            cpu, bw = limited["cpu"] / n, limited["bandwidth"] / n
            cumulative["issues"] = {
                "cpu_quality_limitation_fraction": round(cpu, 4),
                "bandwidth_quality_limitation_fraction": round(bw, 4),
                "quality_limitation_fraction": round(cpu + bw, 4),
                "no_video_fraction": 0.0,
                "poor_resolution_fraction": round(cpu + bw, 4),
            }
            cumulative["high_negative_feedback_fraction"] = _share(losses, 5)
            cumulative["key_frames_encoded_fraction"] = 0.011
        else:
            cumulative["issues"] = {
                "lag_fraction": _share(losses, 8),
                "no_video_fraction": 0.0,
                "poor_resolution_fraction": _share(losses, 10),
            }
            cumulative["key_frames_decoded_fraction"] = 0.011
    return rows, cumulative


def _pair(s: Scenario, *, nominated: bool, index: int, producing: bool) -> Json:
    relay = s.candidate_type == "relay"
    ctype = s.candidate_type if nominated else ("host" if index % 2 else "srflx")
    protocol = s.protocol if nominated else "udp"
    rtt_s = round(s.rtt_ms / 1000 * (1.0 if nominated else 1.3), 4)
    row: Json = {
        "nominated": nominated,
        "local_candidate_id": f"L{index}{'p' if producing else 'c'}",
        "local_candidate_type": ctype,
        "local_candidate_protocol": protocol,
        "local_candidate_address": s.ipv4 if ctype != "host" else f"192.0.2.{10 + index % 200}",
        "local_candidate_port": 50000 + index,
        "local_candidate_network_type": s.local_network_type,
        "remote_candidate_id": f"R{index}",
        "remote_candidate_type": "host",
        "remote_candidate_protocol": protocol,
        "remote_candidate_address": "198.51.100.20",
        "remote_candidate_port": 443 if relay and nominated else 40000 + index,
        "current_round_trip_time": rtt_s if nominated else None,
        "total_round_trip_time": round(rtt_s * 600, 3) if nominated else 0.0,
        "available_outgoing_bitrate": (1_200_000 if relay else 2_500_000) if nominated else None,
        "available_incoming_bitrate": None,
        "bytes_sent": 48_000_000 if nominated else 1200,
        "bytes_received": 52_000_000 if nominated else 1100,
        "packets_sent": 61_000 if nominated else 12,
        "packets_received": 64_000 if nominated else 11,
        "last_packet_sent_timestamp": int((START.timestamp() + s.duration_s) * 1000),
        "last_packet_received_timestamp": int((START.timestamp() + s.duration_s) * 1000),
    }
    if relay and nominated:
        row["local_candidate_url"] = s.relay_url or "turn:turn.cloudflare.com:3478?transport=udp"
        row["local_candidate_related_address"] = s.ipv4
        row["local_candidate_related_port"] = 61000
    return {k: v for k, v in row.items() if v is not None}


def _device_updates(s: Scenario) -> tuple[list[Json], list[Json], list[Json]]:
    base = {"device_id": "default-mic", "kind": "audioinput", "label": s.device_label}
    audio: list[Json] = [{"added": [base], "removed": [], "timestamp": iso(START)}]
    headset = {"device_id": "bt-headset", "kind": "audioinput", "label": s.churn_label}
    speaker_headset = {"device_id": "bt-headset-out", "kind": "audiooutput", "label": s.churn_label}
    speakers: list[Json] = []
    span = max(60, s.duration_s - 120)
    for i in range(s.device_churn):
        at = START + timedelta(seconds=60 + span * (i + 1) / (s.device_churn + 1))
        key = "added" if i % 2 == 0 else "removed"
        audio.append({"added": [], "removed": [], key: [headset], "timestamp": iso(at)})
        speakers.append({"added": [], "removed": [], key: [speaker_headset], "timestamp": iso(at)})
    video = [
        {
            "added": [{"device_id": "cam", "kind": "videoinput", "label": "FaceTime HD Camera"}],
            "removed": [],
            "timestamp": iso(START),
        }
    ]
    return audio, video, speakers


def build_participant(s: Scenario, *, seed: int = 0) -> Json:
    rng = random.Random(f"{s.name}:{seed}")  # noqa: S311 - demo data, not security
    end = START + timedelta(seconds=s.duration_s)
    metadata: Json = {}
    if "device" in s.sections:
        metadata["device_info"] = {
            "cpus": s.cpus,
            "is_mobile": s.is_mobile,
            "os": s.os,
            "os_version": s.os_version,
        }
        metadata.update(
            sdk_name=s.sdk_name,
            sdk_type="web",
            sdk_version=s.sdk_version,
            room_view_type="groupCall",
        )
    if "browser" in s.sections:
        metadata["browser_metadata"] = {
            "browser": s.browser,
            "browser_version": s.browser_version,
            "engine": "Blink" if s.browser in ("Chrome", "Edge") else "Gecko",
            "user_agent": f"Mozilla/5.0 ({s.os} {s.os_version}) {s.browser}/{s.browser_version}",
            "webgl_support": True,
        }
    if "ip" in s.sections:
        metadata["ip_information"] = {
            "asn": {
                "asn": s.asn,
                "name": s.asn_name,
                "domain": "example.net",
                "route": s.ipv4.rsplit(".", 1)[0] + ".0/24",
                "type": "isp",
            },
            "city": s.city,
            "country": s.country,
            "ipv4": s.ipv4,
            "org": s.asn_name,
            "region": s.city,
            "timezone": "Europe/Berlin",
        }
    if "pairs" in s.sections:
        pairs: Json = {}
        for transport, producing in (("producing_transport", True), ("consuming_transport", False)):
            rows = [_pair(s, nominated=True, index=0, producing=producing)]
            rows += [
                _pair(s, nominated=False, index=i, producing=producing)
                for i in range(1, s.extra_pairs + 1)
            ]
            pairs[transport] = rows
        metadata["candidate_pairs"] = pairs
    if "pc" in s.sections:
        metadata["pc_metadata"] = [
            {
                "effective_network_type": s.network_type,
                "reflexive_connectivity": s.reflexive_ok,
                "relay_connectivity": s.relay_ok,
                "turn_connectivity": s.turn_ok,
                "sdp": ["v=0 (trimmed)"],
                "timestamp": iso(START),
            }
        ]
    events: list[Json] = []
    if "events" in s.sections:
        events.append(
            {
                "name": "joined",
                "timestamp": iso(START + timedelta(seconds=2)),
                "metadata": {"preset": "group_call_host"},
            }
        )
        for offset in s.reconnects:
            moment = START + timedelta(seconds=offset)
            events.append(
                {
                    "name": "reconnecting",
                    "timestamp": iso(moment),
                    "metadata": {"reason": "ice_disconnected"},
                }
            )
            events.append(
                {
                    "name": "ice_restart",
                    "timestamp": iso(moment + timedelta(seconds=2)),
                    "metadata": {"attempt": 1},
                }
            )
            events.append(
                {
                    "name": "reconnected",
                    "timestamp": iso(moment + timedelta(seconds=6)),
                    "metadata": {"downtime_ms": 6000},
                }
            )
        for i in range(s.extra_events):
            at = START + timedelta(seconds=(i + 1) * s.duration_s / (s.extra_events + 1))
            name = ("audio_toggled", "video_toggled", "screenshare_started", "network_changed")[
                i % 4
            ]
            events.append({"name": name, "timestamp": iso(at), "metadata": {"value": i % 2 == 0}})
        events.sort(key=lambda e: str(e["timestamp"]))
        metadata["events"] = events
    if "devices" in s.sections:
        audio, video, speakers = _device_updates(s)
        metadata["audio_devices_updates"] = audio
        metadata["video_devices_updates"] = video
        metadata["speaker_devices_updates"] = speakers
        selected = [{"device": audio[0]["added"][0], "timestamp": iso(START)}]
        headset = {"device_id": "bt-headset", "kind": "audioinput", "label": s.churn_label}
        span = max(60, s.duration_s - 120)
        for i in range(s.device_switches):
            switch = START + timedelta(seconds=90 + span * (i + 1) / (s.device_switches + 1))
            device = headset if i % 2 == 0 else audio[0]["added"][0]
            selected.append({"device": device, "timestamp": iso(switch)})
        metadata["selected_device_updates"] = selected
    quality: Json | None = None
    if "quality" in s.sections:
        quality = {}
        for key in s.tracks:
            rows, cumulative = _track(s, key, rng)
            quality[key] = rows
            quality[f"{key}_cumulative"] = cumulative
    participant: Json = {
        "id": s.peer_id,
        "created_at": iso(START - timedelta(seconds=3)),
        "custom_participant_id": s.custom_participant_id,
        "display_name": s.display_name,
        "duration": round(s.duration_s / 60, 2),
        "joined_at": iso(START),
        "left_at": iso(end),
        "role": "group_call_host",
        "session_id": s.session_id,
        "updated_at": iso(end),
        "user_id": f"user-{s.peer_id[:8]}",
    }
    if "peer_events" in s.sections:
        participant["peer_events"] = _peer_events(s)
    report: Json = {}
    if metadata:
        report["metadata"] = metadata
    if quality is not None:
        report["quality"] = quality
    participant["peer_report"] = report
    return participant


def _peer_events(s: Scenario) -> list[Json]:
    def event(name: str, at: float, index: int) -> Json:
        moment = iso(START + timedelta(seconds=at))
        return {
            "id": f"{s.peer_id[:8]}-ev-{index:04d}",
            "created_at": moment,
            "updated_at": moment,
            "event_name": name,
            "minutes_consumed": round(max(0.0, at) / 60, 2),
            "participant_id": s.peer_id,
            "peer_id": s.peer_id,
            "preset_view_type": "GROUP_CALL",
            "session_id": s.session_id,
            "socket_session_id": None,
        }

    rows = [event("PEER_CREATED", -3, 0), event("PEER_JOINING", 0, 1)]
    for at in s.reconnects:
        rows.append(event("PEER_LEAVING", at, len(rows)))
        rows.append(event("PEER_JOINING", at + 6, len(rows)))
    rows.append(event("PEER_LEAVING", s.duration_s, len(rows)))
    return rows


def build_envelope(scenario: Scenario, *, seed: int = 0) -> Json:
    """``{"success": true, "data": {"participant": …}}`` as the API returns it."""
    return {"success": True, "data": {"participant": build_participant(scenario, seed=seed)}}


def four_hour_scenario() -> Scenario:
    """4 hours, every track kind, a sample every 5 s, hundreds of events, ~50 pairs."""
    hour = 3600.0
    return Scenario(
        name="four-hour",
        peer_id="4a1b2c3d-0000-4000-8000-00000000f0f0",
        session_id="5b2c3d4e-0000-4000-8000-00000000f0f0",
        display_name="Marathon Incident Bridge",
        duration_s=4 * 3600,
        sample_every_s=5,
        tracks=TRACK_KEYS,
        loss_windows=((1.2 * hour, 1.4 * hour, 9.0), (3.1 * hour, 3.2 * hour, 14.0)),
        rtt_windows=((2 * hour, 2.3 * hour, 320.0),),
        limitation="cpu",
        limitation_windows=((0.5 * hour, 0.9 * hour),),
        reconnects=tuple(hour * x for x in (0.7, 1.3, 2.1, 3.15)),
        extra_pairs=24,
        extra_events=300,
        device_churn=12,
        device_switches=6,
    )
