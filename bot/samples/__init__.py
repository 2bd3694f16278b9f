"""Bundled demo peer reports (package data): ``peer-report demos`` lists them."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

DEFAULT_SAMPLE = "mobile-loss"

SAMPLE_DESCRIPTIONS: dict[str, str] = {
    "healthy": "desktop Chrome on a direct UDP path: everything green",
    "turn-tcp": "relayed over TURN/TCP 443 behind a firewall: high RTT, bursty loss",
    "mobile-loss": "Android phone on 3G: a 12-minute stretch of heavy loss and 3 reconnects",
    "cpu-limited": "2-CPU laptop sharing its screen: the video encoder is CPU-limited",
    "device-churn": "a Bluetooth headset that keeps dropping: many device changes",
    "sparse": "only device, browser and IP information (as if fetched with a filter)",
    "hostile": "a display name and device labels that try to ping everyone: shows the escaping",
}


def sample_names() -> list[str]:
    return list(SAMPLE_DESCRIPTIONS)


def load_sample_bytes(name: str) -> bytes:
    """The sample's bytes exactly as the API would send them (the whole envelope)."""
    if name not in SAMPLE_DESCRIPTIONS:
        raise ValueError(f"no sample named {name!r}: choose one of {', '.join(sample_names())}")
    return resources.files(__package__).joinpath(f"{name}.json").read_bytes()


@cache
def _peer_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name in sample_names():
        participant = json.loads(load_sample_bytes(name))["data"]["participant"]
        index[str(participant["id"]).lower()] = name
    return index


def sample_for_peer(peer_id: str) -> str | None:
    """The sample whose participant id is ``peer_id``, if any."""
    return _peer_index().get(peer_id.lower())
