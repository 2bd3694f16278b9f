"""The selected ICE path of each transport, and what it means in plain English (pure).

Candidate-pair fields follow W3C ``RTCIceCandidatePairStats``: ``current_round_trip_time`` is
in **seconds**, ``available_*_bitrate`` in bit/s. The SDK sends 0 for a value it could not
measure, so a 0 RTT or bitrate is "not measured" here, never a measurement.

:func:`path_meaning` is the one place that says what a candidate pair means for the call; the
renderer's pairs view calls it rather than judging paths itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.health import thresholds as T
from bot.health.values import num
from bot.realtimekit.models import CandidatePair, ReportMetadata

PathKind = Literal["direct-udp", "direct-tcp", "relay-udp", "relay-tcp", "relay-tls", "unknown"]

#: Worse paths rank higher (more overhead, loss turned into delay).
PATH_RANK: dict[PathKind, int] = {
    "unknown": 0,
    "direct-udp": 1,
    "relay-udp": 2,
    "direct-tcp": 3,
    "relay-tcp": 4,
    "relay-tls": 5,
}

PATH_LABEL: dict[PathKind, str] = {
    "direct-udp": "Direct UDP path",
    "direct-tcp": "Direct TCP path",
    "relay-udp": "TURN relay over UDP",
    "relay-tcp": "TURN relay over TCP",
    "relay-tls": "TURN relay over TLS",
    "unknown": "Path of unknown type",
}


@dataclass(frozen=True, slots=True)
class Path:
    """The selected pair of one transport, reduced to what a support engineer reads."""

    transport: str  # "sending" | "receiving"
    pair: CandidatePair
    nominated: bool
    kind: PathKind
    candidate_type: str | None
    protocol: str | None
    rtt_ms: float | None

    @property
    def meaning(self) -> str:
        return path_meaning(self.pair)


def measured(value: float | None) -> float | None:
    """A positive finite number; 0, negatives, NaN and ``None`` are "not measured"."""
    number = num(value)
    return number if number is not None and number > 0 else None


def rtt_ms(pair: CandidatePair) -> float | None:
    """The pair's current RTT in ms (the API gives W3C seconds; 0 = not measured)."""
    seconds = measured(pair.current_round_trip_time)
    return None if seconds is None else seconds * 1000.0


def selected_paths(metadata: ReportMetadata | None) -> list[Path]:
    """The nominated (else the busiest) pair of the sending and of the receiving transport."""
    pairs = metadata.candidate_pairs if metadata else None
    if pairs is None:
        return []
    out: list[Path] = []
    for transport, listed in (
        ("sending", pairs.producing_transport),
        ("receiving", pairs.consuming_transport),
    ):
        if not listed:
            continue
        nominated = [p for p in listed if p.nominated]
        pair = max(nominated or listed, key=_bytes)
        kind, protocol = path_kind(pair)
        if kind == "unknown" and rtt_ms(pair) is None and not _bytes(pair):
            continue  # an all-zero / all-null pair says nothing
        out.append(
            Path(
                transport=transport,
                pair=pair,
                nominated=bool(nominated),
                kind=kind,
                candidate_type=(pair.local_candidate_type or "").lower() or None,
                protocol=protocol,
                rtt_ms=rtt_ms(pair),
            )
        )
    return out


def _bytes(pair: CandidatePair) -> float:
    return (num(pair.bytes_sent) or 0.0) + (num(pair.bytes_received) or 0.0)


def path_kind(pair: CandidatePair) -> tuple[PathKind, str | None]:
    """``(kind, transport protocol)`` of a pair from its local candidate."""
    ctype = (pair.local_candidate_type or "").lower()
    protocol = (pair.local_candidate_protocol or "").lower() or None
    if ctype == "relay":
        url = (pair.local_candidate_url or "").lower()
        extra = pair.model_extra or {}
        relay = extra.get("local_candidate_relay_protocol") or extra.get("relay_protocol")
        if url.startswith("turns:") or "transport=tls" in url or relay == "tls":
            return "relay-tls", "tls"
        if "transport=tcp" in url or relay == "tcp" or protocol == "tcp":
            return "relay-tcp", "tcp"
        return "relay-udp", "udp"
    if ctype in T.DIRECT_CANDIDATE_TYPES:
        return ("direct-tcp" if protocol == "tcp" else "direct-udp"), protocol or "udp"
    return "unknown", protocol


def path_meaning(pair: CandidatePair) -> str:
    """One plain sentence on what this candidate pair means for the call."""
    kind, _ = path_kind(pair)
    ctype = (pair.local_candidate_type or "").lower()
    port = measured(pair.remote_candidate_port)
    where = f" {port:.0f}" if port else ""
    if kind in ("relay-tcp", "relay-tls"):
        via = "TLS" if kind == "relay-tls" else "TCP"
        return (
            f"Relayed via TURN over {via}{where} — usually a firewall or proxy blocks UDP; "
            "expect extra latency and bursty loss."
        )
    if kind == "relay-udp":
        return "Relayed via TURN over UDP — works, but adds a hop; direct UDP is usually blocked."
    if kind == "direct-tcp":
        return "Direct but over TCP — UDP is blocked; expect delay when packets are lost."
    if ctype in ("srflx", "prflx"):
        return "Direct UDP through NAT (STUN) — the normal, best path."
    if ctype == "host":
        return "Direct UDP from the device's own address — the best path."
    return "Path type not reported."
