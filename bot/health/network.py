"""Network health: the selected ICE path, connectivity checks, network type, lifecycle (pure).

Reads the nominated candidate pair of the producing (send) and consuming (receive) transports
(RTT in **seconds** in the API, per W3C RTCIceCandidatePairStats; bitrates in bit/s),
``pc_metadata`` connectivity checks, the effective network type, the pre-call test when the
report carries one (an unknown extra field), bandwidth-limited encoding from the quality pass
and the connection lifecycle.

IP information is context only: country and ASN organisation. The IP address, city, region,
timezone and route prefix never appear in messages or metrics.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from bot.health import codes as C
from bot.health import thresholds as T
from bot.health.findings import STATUS_SEVERITY, Findings, band
from bot.health.lifecycle import Lifecycle
from bot.health.model import Area
from bot.health.quality import QualitySignals
from bot.health.values import fmt_ms, fmt_pct, fmt_share, ms, num, rounded
from bot.realtimekit.models import CandidatePair, IPInformation, Participant, ReportMetadata

PathKind = Literal["direct-udp", "direct-tcp", "relay-udp", "relay-tcp", "relay-tls", "unknown"]
_PATH_RANK: dict[PathKind, int] = {
    "unknown": 0,
    "direct-udp": 1,
    "relay-udp": 2,
    "direct-tcp": 3,
    "relay-tcp": 4,
    "relay-tls": 5,
}
_PRECALL_KEYS = ("precall_network_information", "precall_network_info", "precall_network")


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


def assess_network(participant: Participant, signals: QualitySignals, lifecycle: Lifecycle) -> Area:
    report = participant.peer_report
    metadata = report.metadata if report else None
    found = Findings()
    known = False
    paths: list[Path] = []
    if metadata is not None:
        paths = _paths(metadata)
        known |= bool(paths)
    escalate = signals.loss_status == "poor" or signals.rtt_status == "poor"
    if paths:
        escalate |= _judge_paths(paths, signals, found, escalate)
    if metadata is not None:
        known |= _connectivity(metadata, paths, lifecycle, found)
    known |= _bandwidth(signals, found)
    found.extend(lifecycle.findings)
    known |= lifecycle.has_events
    known |= _precall(participant, found)
    if metadata is not None and metadata.ip_information is not None:
        _location(metadata.ip_information, found)
    if not known:
        where = _where(found)
        return found.area(
            "No connection data in this report (candidate pairs, connectivity checks and "
            f"events are absent){where}",
            known=False,
        )
    return found.area(_summary(paths, found))


# --- the selected path -------------------------------------------------------------------------


def _paths(metadata: ReportMetadata) -> list[Path]:
    pairs = metadata.candidate_pairs
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
        pool = nominated or listed
        pair = max(pool, key=_bytes)
        kind, protocol = _kind(pair)
        out.append(
            Path(
                transport=transport,
                pair=pair,
                nominated=bool(nominated),
                kind=kind,
                candidate_type=(pair.local_candidate_type or "").lower() or None,
                protocol=protocol,
                rtt_ms=ms(pair.current_round_trip_time),
            )
        )
    return out


def _bytes(pair: CandidatePair) -> float:
    return (num(pair.bytes_sent) or 0.0) + (num(pair.bytes_received) or 0.0)


def _kind(pair: CandidatePair) -> tuple[PathKind, str | None]:
    ctype = (pair.local_candidate_type or "").lower()
    protocol = (pair.local_candidate_protocol or "").lower() or None
    if ctype == "relay":
        url = (pair.local_candidate_url or "").lower()
        extra = pair.model_extra or {}
        relay = extra.get("local_candidate_relay_protocol") or extra.get("relay_protocol")
        if url.startswith("turns:") or relay == "tls":
            return "relay-tls", "tls"
        if "transport=tcp" in url or relay == "tcp" or protocol == "tcp":
            return "relay-tcp", "tcp"
        return "relay-udp", "udp"
    if ctype in T.DIRECT_CANDIDATE_TYPES:
        return ("direct-tcp" if protocol == "tcp" else "direct-udp"), protocol or "udp"
    return "unknown", protocol


def _judge_paths(
    paths: list[Path], signals: QualitySignals, found: Findings, escalate: bool
) -> bool:
    """Findings about the path itself; returns whether the path RTT was poor."""
    worst = max(paths, key=lambda p: _PATH_RANK[p.kind])
    same = [p.transport for p in paths if p.kind == worst.kind]
    which = "sending and receiving" if len(same) > 1 else worst.transport
    head = paths[0]
    found.metric("candidate_type", head.candidate_type)
    found.metric("protocol", head.protocol)
    found.metric("path", worst.kind)
    for path in paths:
        prefix = "send" if path.transport == "sending" else "recv"
        found.metric(f"{prefix}_candidate_type", path.candidate_type)
        found.metric(f"{prefix}_protocol", path.protocol)
        found.metric(f"{prefix}_remote_candidate_type", path.pair.remote_candidate_type)
        found.metric(f"{prefix}_rtt_ms", rounded(path.rtt_ms, 1))
        found.metric(f"{prefix}_network_type", path.pair.local_candidate_network_type)

    rtt_poor = any(p.rtt_ms is not None and p.rtt_ms > T.RTT_POOR_MS for p in paths)
    escalate = escalate or rtt_poor
    evidence = " This call also shows poor loss or round-trip time, which fits." if escalate else ""
    if worst.kind in ("relay-tcp", "relay-tls"):
        over = "TLS (turns:)" if worst.kind == "relay-tls" else "TCP"
        found.add(
            "critical" if escalate else "warning",
            C.NETWORK_RELAY_TLS if worst.kind == "relay-tls" else C.NETWORK_RELAY_TCP,
            f"Media went through a TURN relay over {over} ({which}): UDP looks blocked on this "
            "network (firewall, proxy or VPN). TCP turns packet loss into delay and bursts."
            f"{evidence} Allowing outbound UDP, or trying another network, usually fixes it.",
            f"TURN relay over {over}",
        )
    elif worst.kind == "direct-tcp":
        found.add(
            "warning",
            C.NETWORK_TCP_TRANSPORT,
            f"Media ran over TCP instead of UDP ({which}): UDP looks blocked on this network; "
            f"TCP turns packet loss into delay.{evidence}",
            "media over TCP",
        )
    elif worst.kind == "relay-udp":
        found.add(
            "info",
            C.NETWORK_RELAY_UDP,
            f"Media went through a TURN relay over UDP ({which}): one extra hop, usually fine; "
            "a direct path was not possible from this network.",
        )
    rtts = [p for p in paths if p.rtt_ms is not None]
    if rtts:
        high = max(rtts, key=lambda p: p.rtt_ms or 0.0)
        rtt = high.rtt_ms or 0.0
        found.metric("rtt_avg_ms", rounded(rtt, 1))
        status = band(rtt, T.RTT_FAIR_MS, T.RTT_POOR_MS)
        if status != "good":
            found.add(
                STATUS_SEVERITY[status],
                C.NETWORK_RTT_HIGH,
                f"Round trip to the media server on the {high.transport} path was {fmt_ms(rtt)} "
                f"(candidate pair RTT; under {fmt_ms(T.RTT_FAIR_MS)} is good) — usually distance, "
                "a VPN or a congested link.",
                f"path RTT {fmt_ms(rtt)}",
            )

    if not any(p.nominated for p in paths):
        found.add(
            "info",
            C.NETWORK_NO_SELECTED_PAIR,
            "No candidate pair was marked nominated; the busiest pair is described instead.",
        )

    producing = next((p for p in paths if p.transport == "sending"), None)
    consuming = next((p for p in paths if p.transport == "receiving"), None)
    if producing is not None:
        _bitrate(
            found,
            num(producing.pair.available_outgoing_bitrate),
            signals.sends_video,
            "outgoing",
            C.NETWORK_LOW_UPLINK,
            "upload",
        )
    if consuming is not None:
        _bitrate(
            found,
            num(consuming.pair.available_incoming_bitrate),
            signals.receives_video,
            "incoming",
            C.NETWORK_LOW_DOWNLINK,
            "download",
        )
    for path in paths:
        network_type = (path.pair.local_candidate_network_type or "").lower()
        if network_type == "vpn" and not found.has(C.NETWORK_VPN):
            found.add(
                "info",
                C.NETWORK_VPN,
                "The selected candidate was on a VPN interface: VPNs often add delay and force "
                "TCP.",
            )
        if network_type == "cellular" and not found.has(C.NETWORK_CELLULAR):
            _cellular(found)
    return rtt_poor


def _bitrate(
    found: Findings,
    value: float | None,
    with_video: bool,
    direction: str,
    code: str,
    word: str,
) -> None:
    if value is None:
        return
    found.metric(f"available_{direction}_kbps", round(value / 1000))
    if with_video and value < T.LOW_BITRATE_BPS:
        found.add(
            "warning",
            code,
            f"The browser estimated only {value / 1000:.0f} kbps of {word} bandwidth with video "
            f"on (under {T.LOW_BITRATE_BPS / 1000:.0f} kbps video is squeezed to low quality).",
            f"{word} {value / 1000:.0f} kbps",
        )


def _cellular(found: Findings) -> None:
    found.add(
        "info",
        C.NETWORK_CELLULAR,
        "The participant was on a cellular network: expect variable bandwidth and loss bursts "
        "when moving or with weak signal.",
    )


# --- connectivity checks and network type -----------------------------------------------------


def _connectivity(
    metadata: ReportMetadata, paths: list[Path], lifecycle: Lifecycle, found: Findings
) -> bool:
    checks = metadata.pc_metadata
    if not checks:
        return False
    reflexive_failed = sum(1 for c in checks if c.reflexive_connectivity is False)
    reflexive_known = sum(1 for c in checks if c.reflexive_connectivity is not None)
    relay_failed = sum(
        1 for c in checks if c.relay_connectivity is False and c.turn_connectivity is False
    )
    relay_known = sum(
        1 for c in checks if c.relay_connectivity is not None or c.turn_connectivity is not None
    )
    network_types = [c.effective_network_type.lower() for c in checks if c.effective_network_type]
    found.metric("connectivity_checks", len(checks))

    if relay_failed:
        direct_udp = bool(paths) and all(p.kind == "direct-udp" for p in paths)
        trouble = lifecycle.troubled or not direct_udp
        tail = (
            "and this call did have connection trouble"
            if lifecycle.troubled
            else "and no working direct UDP path was seen"
            if not direct_udp
            else "this call worked over a direct UDP path, but the user will fail to connect "
            "from networks that block UDP"
        )
        found.add(
            "critical" if trouble else "warning",
            C.NETWORK_TURN_UNREACHABLE,
            f"Both TURN and relay connectivity checks failed ({relay_failed} of {relay_known} "
            f"checks): there is no fallback path on restrictive networks — {tail}.",
            "TURN unreachable",
        )
    if reflexive_failed:
        found.add(
            "warning",
            C.NETWORK_STUN_BLOCKED,
            f"STUN (reflexive) connectivity failed in {reflexive_failed} of {reflexive_known} "
            "checks: UDP to the internet is blocked or filtered, so media has to use a TURN relay.",
            "STUN blocked",
        )
    if network_types:
        worst = _worst_network_type(network_types)
        found.metric("effective_network_type", worst)
        if worst in T.SLOW_NETWORK_TYPES_POOR or worst in T.SLOW_NETWORK_TYPES_FAIR:
            poor = worst in T.SLOW_NETWORK_TYPES_POOR
            found.add(
                "critical" if poor else "warning",
                C.NETWORK_SLOW_NETWORK,
                f"The browser rated the connection as '{worst}' (effective network type): too "
                f"slow for {'any video' if poor else 'HD video'}; audio-only may work better.",
                f"'{worst}' connection",
            )
        if "cellular" in network_types and not found.has(C.NETWORK_CELLULAR):
            _cellular(found)
    return True


def _worst_network_type(types: list[str]) -> str:
    order = {"slow-2g": 0, "2g": 1, "3g": 2}
    return min(types, key=lambda t: (order.get(t, 9), types.index(t)))


# --- encoder limited by bandwidth -------------------------------------------------------------


def _bandwidth(signals: QualitySignals, found: Findings) -> bool:
    level = signals.bandwidth
    if level is None or level.bandwidth_share is None:
        return False
    share = level.bandwidth_share
    found.metric("bandwidth_limited_share", round(share, 3))
    status = band(share, T.LIMITED_SHARE_FAIR, T.LIMITED_SHARE_POOR)
    if status != "good":
        window = level.window("bw")
        phrase = window.phrase() if window else ""
        when = f" (bandwidth-limited {phrase})" if phrase else ""
        found.add(
            STATUS_SEVERITY[status],
            C.NETWORK_BANDWIDTH_LIMITED,
            f"The upload was too small for the video being sent: the {level.track.label} encoder "
            f"was limited by bandwidth {fmt_share(share)} of the time{when}, so it lowered "
            "resolution or frame rate.",
            f"upload bandwidth-limited {fmt_share(share)}",
        )
    return True


# --- pre-call test (unknown extra field) ------------------------------------------------------


def _precall(participant: Participant, found: Findings) -> bool:
    blob = _find_precall(participant)
    if blob is None:
        return False
    rtt = jitter = loss = None
    flags: list[str] = []
    for key, value in _walk(blob):
        low = key.lower()
        if isinstance(value, bool):
            if "connectivity" in low or low in ("turn", "relay", "reflexive", "host"):
                flags.append(f"{low.replace('_connectivity', '')} {'ok' if value else 'failed'}")
            continue
        if not isinstance(value, int | float):
            continue
        if "rtt" in low or "latency" in low or "round_trip" in low:
            rtt = rtt if rtt is not None else ms(value)
        elif "jitter" in low:
            jitter = jitter if jitter is not None else ms(value)
        elif "loss" in low:
            number = num(value)
            if number is not None and loss is None:
                loss = min(100.0, number * 100 if "fraction" in low or "ratio" in low else number)
    parts = []
    if rtt is not None:
        parts.append(f"RTT {fmt_ms(rtt)}")
        found.metric("precall_rtt_ms", rounded(rtt, 1))
    if jitter is not None:
        parts.append(f"jitter {fmt_ms(jitter)}")
        found.metric("precall_jitter_ms", rounded(jitter, 1))
    if loss is not None:
        parts.append(f"loss {fmt_pct(loss)}")
        found.metric("precall_loss_pct", rounded(loss))
    parts.extend(flags[:4])
    if not parts:
        found.add("info", C.NETWORK_PRECALL, "A pre-call network test ran (no usable numbers).")
        return True
    bad = (
        (rtt is not None and rtt > T.RTT_POOR_MS)
        or (jitter is not None and jitter > T.JITTER_POOR_MS)
        or (loss is not None and loss > T.VIDEO_LOSS_POOR_PCT)
    )
    if bad:
        found.add(
            "warning",
            C.NETWORK_PRECALL_POOR,
            f"The pre-call network test already looked poor ({', '.join(parts)}): the network "
            "was the problem before the call started.",
            "pre-call test poor",
        )
    else:
        found.add("info", C.NETWORK_PRECALL, f"Pre-call network test: {', '.join(parts)}.")
    return True


def _find_precall(participant: Participant) -> Any:
    report = participant.peer_report
    holders = [
        participant.model_extra,
        report.model_extra if report else None,
        report.metadata.model_extra if report and report.metadata else None,
    ]
    for extra in holders:
        if not extra:
            continue
        for key in _PRECALL_KEYS:
            value = extra.get(key)
            if isinstance(value, Mapping | list) and value:
                return value
    return None


def _walk(blob: Any, prefix: str = "", depth: int = 0) -> Iterator[tuple[str, Any]]:
    """Leaf ``(key, value)`` pairs of a small nested structure (bounded depth and size)."""
    if depth > 3:
        return
    if isinstance(blob, Mapping):
        for index, (key, value) in enumerate(blob.items()):
            if index > 50:
                return
            name = f"{prefix}_{key}" if prefix else str(key)
            if isinstance(value, Mapping | list):
                yield from _walk(value, name, depth + 1)
            else:
                yield name, value
    elif isinstance(blob, list):
        for item in blob[:10]:
            yield from _walk(item, prefix, depth + 1)


# --- location (context only) ------------------------------------------------------------------


def _location(ip: IPInformation, found: Findings) -> None:
    country = ip.country or None
    org = (ip.asn.name if ip.asn else None) or ip.org or None
    asn = (ip.asn.asn if ip.asn else None) or None
    if asn and not asn.upper().startswith("AS"):
        asn = f"AS{asn}"
    found.metric("country", country)
    found.metric("asn", asn)
    found.metric("asn_org", org)
    if not (country or org):
        return
    via = " via " + " ".join(p for p in (org, f"({asn})" if asn else None) if p) if org else ""
    found.add("info", C.NETWORK_LOCATION, f"Connected from {country or 'an unknown country'}{via}.")


def _where(found: Findings) -> str:
    country = found.metrics.get("country")
    org = found.metrics.get("asn_org")
    bits = [str(b) for b in (country, org) if b]
    return f" — connected from {', '.join(bits)}" if bits else ""


def _summary(paths: list[Path], found: Findings) -> str:
    parts: list[str] = []
    if paths:
        worst = max(paths, key=lambda p: _PATH_RANK[p.kind])
        parts.append(
            {
                "direct-udp": "Direct UDP path",
                "direct-tcp": "Direct TCP path",
                "relay-udp": "TURN relay over UDP",
                "relay-tcp": "TURN relay over TCP",
                "relay-tls": "TURN relay over TLS",
                "unknown": "Path of unknown type",
            }[worst.kind]
        )
        rtt = found.metrics.get("rtt_avg_ms")
        if isinstance(rtt, float | int):
            parts.append(f"RTT {fmt_ms(float(rtt))}")
    reconnects = found.metrics.get("reconnects")
    if isinstance(reconnects, int) and reconnects:
        parts.append(f"{reconnects} reconnect{'s' if reconnects != 1 else ''}")
    where = _where(found).replace(" — connected from ", "")
    if where:
        parts.append(where)
    description = ", ".join(parts)
    heads = found.top_headlines(2)
    if heads:
        text = "; ".join(heads)
        rest = ", ".join(p for p in parts if p.lower() not in text.lower())
        text = text[0].upper() + text[1:]
        return f"{text} — {rest}" if rest else text
    return description or "No network problems found"
