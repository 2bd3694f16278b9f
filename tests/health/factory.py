"""Build peer-report dicts (the API's own key names) for health tests.

Samples carry getStats-style monotonic counters; per-minute profiles (``loss``, ``reason`` …)
are functions of the minute index so tests can say "bad from minute 5 to 17".
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.realtimekit.models import Participant

START = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
Profile = Callable[[int], float]
Json = dict[str, Any]


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def const(value: float) -> Profile:
    return lambda _minute: value


def between(first: int, last: int, inside: float, outside: float = 0.0) -> Profile:
    """``inside`` for minutes ``first <= m < last``, else ``outside``."""
    return lambda minute: inside if first <= minute < last else outside


_LOSS, _RTT, _JITTER, _JB = const(0.1), const(0.04), const(0.008), const(0.04)
_MOS, _FPS, _WIDTH = const(4.3), const(30.0), const(1280.0)


def samples(
    key: str,
    *,
    minutes: int = 10,
    interval: int = 5,
    start: datetime = START,
    loss: Profile = _LOSS,
    rtt_s: Profile = _RTT,
    jitter_s: Profile = _JITTER,
    jb_s: Profile = _JB,
    mos: Profile = _MOS,
    fps: Profile = _FPS,
    width: Profile = _WIDTH,
    reason: Callable[[int], str] = lambda _m: "none",
    pps: float = 50.0,
    ident: str = "stream-1",
    peer: str | None = None,
    producer_id: str | None = None,
    ssrc: int = 1234,
    playing: Callable[[int], bool] = lambda _m: True,
    seconds: int | None = None,
) -> list[Json]:
    """Samples every ``interval`` s for ``minutes`` (or ``seconds``); ``loss`` is percent.

    Consumer samples name their remote sender with ``peer`` (``peer_id``) and ``producer_id``
    as the SDK does; ``playing(minute)`` False stops the jitter-buffer
    counters (a paused consumer); ``ssrc`` tells simulcast layers apart.
    """
    out: list[Json] = []
    sent = received = lost = 0.0
    jbd = emitted = 0.0
    limits = {"cpu": 0.0, "bandwidth": 0.0, "none": 0.0, "other": 0.0}
    producer = key.endswith("producer")
    video = "video" in key
    steps = (minutes * 60 if seconds is None else seconds) // interval
    for i in range(steps + 1):
        t = start + timedelta(seconds=i * interval)
        minute = (i * interval) // 60
        if i:
            packets = pps * interval
            dropped = packets * loss(minute) / 100
            lost += dropped
            if producer:
                sent += packets
            else:
                received += packets - dropped
            if playing(minute):
                emitted += packets * 20
                jbd += packets * 20 * jb_s(minute)
            if video and producer:
                limits[reason(minute)] += interval
        row: Json = {
            "timestamp": iso(t),
            "mos_quality": mos(minute),
            "packets_lost": lost,
            "jitter": jitter_s(minute),
            "ssrc": ssrc,
        }
        if producer:
            row.update(packets_sent=sent, rtt=rtt_s(minute), producer_id=ident)
        else:
            row.update(
                packets_received=received,
                consumer_id=ident,
                jitter_buffer_delay=jbd,
                jitter_buffer_emitted_count=emitted,
            )
            if peer is not None:
                row["peer_id"] = peer
            if producer_id is not None:
                row["producer_id"] = producer_id
        if video:
            row.update(frames_per_second=fps(minute), frame_width=width(minute))
            row["frame_height"] = width(minute) * 9 / 16
            if producer:
                row["quality_limitation_reason"] = reason(minute)
                row["quality_limitation_durations"] = dict(limits)
        out.append(row)
    return out


def loss_cum(avg: float = 0.2, ge5: float = 0.0, ge10: float = 0.0) -> Json:
    return {
        "avg": avg,
        "5_or_greater_event_fraction": ge5,
        "10_or_greater_event_fraction": ge10,
        "25_or_greater_event_fraction": 0.0,
        "50_or_greater_event_fraction": 0.0,
    }


def latency_cum(
    avg: float = 40.0, ge100: float = 0.0, ge250: float = 0.0, ge500: float = 0.0
) -> Json:
    return {
        "avg": avg,
        "100ms_or_greater_event_fraction": ge100,
        "250ms_or_greater_event_fraction": ge250,
        "500ms_or_greater_event_fraction": ge500,
    }


def mos_cum(avg: float = 4.3) -> Json:
    return {"avg": avg, "p50": avg, "p75": min(avg + 0.1, 4.5), "p90": min(avg + 0.2, 4.5)}


def healthy_quality(minutes: int = 10) -> Json:
    return {
        "audio_producer": samples("audio_producer", minutes=minutes),
        "audio_producer_cumulative": {
            "packet_loss": loss_cum(),
            "quality_mos": mos_cum(),
            "rtt": latency_cum(),
        },
        "audio_consumer": samples("audio_consumer", minutes=minutes),
        "audio_consumer_cumulative": {
            "packet_loss": loss_cum(),
            "quality_mos": mos_cum(),
            "jitter_buffer_delay": latency_cum(),
        },
        "video_producer": samples("video_producer", minutes=minutes, pps=300),
        "video_producer_cumulative": {
            "packet_loss": loss_cum(),
            "quality_mos": mos_cum(4.2),
            "rtt": latency_cum(),
            "frame_per_second": mos_cum(30.0),
            "frame_width": mos_cum(1280.0),
            "issues": {
                "cpu_quality_limitation_fraction": 0.0,
                "bandwidth_quality_limitation_fraction": 0.0,
                "quality_limitation_fraction": 0.0,
                "no_video_fraction": 0.0,
                "poor_resolution_fraction": 0.0,
            },
            "high_negative_feedback_fraction": 0.01,
            "key_frames_encoded_fraction": 0.01,
        },
        "video_consumer": samples("video_consumer", minutes=minutes, pps=300),
        "video_consumer_cumulative": {
            "packet_loss": loss_cum(),
            "quality_mos": mos_cum(4.2),
            "jitter_buffer_delay": latency_cum(),
            "frame_per_second": mos_cum(29.0),
            "frame_width": mos_cum(1280.0),
            "issues": {
                "lag_fraction": 0.0,
                "no_video_fraction": 0.0,
                "poor_resolution_fraction": 0.0,
            },
            "key_frames_decoded_fraction": 0.01,
        },
    }


def pair(
    ctype: str = "srflx",
    protocol: str = "udp",
    *,
    rtt_s: float = 0.035,
    url: str | None = None,
    out_bps: float = 2_500_000.0,
    in_bps: float | None = None,
    nominated: bool = True,
    network_type: str = "wifi",
) -> Json:
    row: Json = {
        "nominated": nominated,
        "local_candidate_type": ctype,
        "local_candidate_protocol": protocol,
        "local_candidate_address": "203.0.113.7",
        "local_candidate_network_type": network_type,
        "remote_candidate_type": "host",
        "remote_candidate_protocol": protocol,
        "remote_candidate_address": "198.51.100.1",
        "current_round_trip_time": rtt_s,
        "total_round_trip_time": rtt_s * 100,
        "available_outgoing_bitrate": out_bps,
        "bytes_sent": 10_000_000,
        "bytes_received": 9_000_000,
        "packets_sent": 90_000,
        "packets_received": 80_000,
    }
    if url:
        row["local_candidate_url"] = url
    if in_bps is not None:
        row["available_incoming_bitrate"] = in_bps
    return row


def healthy_metadata() -> Json:
    return {
        "device_info": {"cpus": 8, "is_mobile": False, "os": "macOS", "os_version": "14.5"},
        "browser_metadata": {
            "browser": "Chrome",
            "browser_version": "155.0.7600.40",
            "engine": "Blink",
            "user_agent": "Mozilla/5.0",
            "webgl_support": True,
        },
        "sdk_name": "@cloudflare/realtimekit",
        "sdk_type": "web",
        "sdk_version": "2.0.2",
        "candidate_pairs": {"producing_transport": [pair()], "consuming_transport": [pair()]},
        "pc_metadata": [
            {
                "effective_network_type": "4g",
                "reflexive_connectivity": True,
                "relay_connectivity": True,
                "turn_connectivity": True,
                "timestamp": iso(START),
            }
        ],
        "ip_information": {
            "asn": {"asn": "3320", "name": "Deutsche Telekom AG", "route": "203.0.113.0/24"},
            "city": "Berlin",
            "country": "DE",
            "ipv4": "203.0.113.7",
            "region": "Berlin",
            "timezone": "Europe/Berlin",
        },
        "audio_devices_updates": [
            {
                "added": [
                    {"device_id": "d1", "kind": "audioinput", "label": "MacBook Pro Microphone"}
                ],
                "timestamp": iso(START),
            }
        ],
        "selected_device_updates": [
            {
                "device": {
                    "device_id": "d1",
                    "kind": "audioinput",
                    "label": "MacBook Pro Microphone",
                },
                "timestamp": iso(START),
            }
        ],
        "events": [],
    }


def participant_dict(
    *, quality: Json | None = None, metadata: Json | None = None, minutes: int = 10, **top: Any
) -> Json:
    doc: Json = {
        "id": "79d87ca5-7e47-452a-b3c1-b6842ad84bf5",
        "session_id": "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e",
        "display_name": "Ada",
        "joined_at": iso(START),
        "left_at": iso(START + timedelta(minutes=minutes)),
        "duration": minutes,
        "peer_events": [
            {"event_name": "PEER_CREATED", "created_at": iso(START)},
            {"event_name": "PEER_JOINING", "created_at": iso(START)},
        ],
        "peer_report": {
            "metadata": healthy_metadata() if metadata is None else metadata,
            "quality": healthy_quality(minutes) if quality is None else quality,
        },
    }
    doc.update(top)
    return doc


def healthy(minutes: int = 10) -> Json:
    return participant_dict(minutes=minutes)


def parse(doc: Json) -> Participant:
    return Participant.model_validate(copy.deepcopy(doc))
