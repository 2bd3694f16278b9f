"""Reports for the events / device / network / verdict scenarios (built on ``factory``).

Events are written as the SDK writes them (``peer_report.metadata.events[]``: ``name``,
``timestamp``, ``metadata`` with camelCase keys unless a test asks for snake_case).
"""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from tests.health.factory import START, Json, healthy, iso, loss_cum, mos_cum, samples

REQUESTED = "0f9d6c3e-1b2a-4c5d-8e7f-a1b2c3d4e5f6"


def event(name: str, at_s: float = 60.0, **metadata: Any) -> Json:
    row: Json = {"name": name, "timestamp": iso(START + timedelta(seconds=at_s))}
    if metadata:
        row["metadata"] = metadata
    return row


def with_events(*events: Json, base: Json | None = None, minutes: int = 10) -> Json:
    """A healthy call (or ``base``) whose event log holds ``events``."""
    doc = copy.deepcopy(base) if base is not None else healthy(minutes)
    doc["peer_report"]["metadata"]["events"] = list(events)
    return doc


def permission(device: str, state: str, at_s: float = 5.0, *, snake: bool = False) -> Json:
    if snake:
        return event("media_permission", at_s, device_type=device, permission=state)
    return event("media_permission", at_s, deviceType=device, permission=state)


def on_os(doc: Json, os_name: str) -> Json:
    doc["peer_report"]["metadata"]["device_info"]["os"] = os_name
    return doc


def nulls_only() -> Json:
    """Every section present, every value null: nothing was measured."""
    return {
        "id": None,
        "session_id": None,
        "display_name": None,
        "peer_report": {
            "metadata": {
                "device_info": {"cpus": None, "os": None, "os_version": None, "is_mobile": None},
                "browser_metadata": {"browser": None, "browser_version": None, "engine": None},
                "candidate_pairs": {
                    "producing_transport": [
                        {"current_round_trip_time": None, "local_candidate_type": None}
                    ],
                    "consuming_transport": [],
                },
                "pc_metadata": [{"effective_network_type": None, "reflexive_connectivity": None}],
                "events": [],
            },
            "quality": {
                "audio_producer": [{"timestamp": None, "mos_quality": None, "jitter": None}],
                "audio_producer_cumulative": {"packet_loss": None, "quality_mos": None},
            },
        },
    }


def zeros_pair() -> Json:
    """A candidate pair as in the API document's example: placeholder strings, every number 0."""
    return {
        "available_incoming_bitrate": 0,
        "available_outgoing_bitrate": 0,
        "bytes_received": 0,
        "bytes_sent": 0,
        "current_round_trip_time": 0,
        "local_candidate_type": "local_candidate_type",
        "local_candidate_protocol": "local_candidate_protocol",
        "nominated": True,
        "remote_candidate_port": 0,
    }


def only_reconnect() -> Json:
    """Who, when, and one ``reconnect_attempt``: no path, no quality."""
    return {
        "id": "79d87ca5-7e47-452a-b3c1-b6842ad84bf5",
        "joined_at": iso(START),
        "left_at": iso(START + timedelta(minutes=10)),
        "peer_report": {"metadata": {"events": [event("reconnect_attempt", 240)]}},
    }


def livestream_viewer(*events: Json) -> Json:
    """A livestream viewer: device metadata, no WebRTC media, the IVS player's events."""
    doc = healthy()
    doc["peer_report"]["quality"] = {}
    metadata = doc["peer_report"]["metadata"]
    metadata.pop("candidate_pairs")
    metadata["events"] = [event("ivs_player_quality_changed", 3), *events]
    return doc


def lossy_download(doc: Json) -> Json:
    """Received audio and video lost ~8 % (media suffered on this side)."""
    quality = doc["peer_report"]["quality"]
    quality["audio_consumer"] = samples("audio_consumer", loss=lambda _m: 8.0)
    quality["audio_consumer_cumulative"]["packet_loss"] = loss_cum(8.0, 0.6, 0.2)
    quality["audio_consumer_cumulative"]["quality_mos"] = mos_cum(3.1)
    quality["video_consumer"] = samples("video_consumer", loss=lambda _m: 8.0, pps=300)
    quality["video_consumer_cumulative"]["packet_loss"] = loss_cum(8.0, 0.6, 0.2)
    return doc


def churn(doc: Json, times: int) -> Json:
    """``times`` headset unplug events after joining (one a minute from minute 1)."""
    doc["peer_report"]["metadata"]["audio_devices_updates"] = [
        {
            "removed" if i % 2 else "added": [
                {"device_id": "h1", "kind": "audioinput", "label": "Jabra Evolve2 65"}
            ],
            "timestamp": iso(START + timedelta(seconds=30 + 20 * i)),
        }
        for i in range(1, times + 1)
    ]
    return doc
