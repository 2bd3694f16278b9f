"""Network health: the selected ICE path, connectivity checks, network type, lifecycle (pure).

Reads the nominated candidate pair of the producing (send) and consuming (receive) transports
(:mod:`bot.health.ice`), ``pc_metadata`` connectivity checks, the effective network type, the
pre-call test (:mod:`bot.health.precall`), bandwidth-limited encoding and the loss/RTT verdict
from the quality pass, and the connection lifecycle.

The area is known only from measured evidence of this call: a selected path, measured loss or
RTT, or encoder limitation data. Events alone (one ``reconnect_attempt``), connectivity checks
and a pre-call test are reported, but never make the network "good" on their own; a warning or
critical finding always makes it fair or poor.

IP information is context only: country and ASN organisation. The IP address, city, region,
timezone and route prefix never appear in messages or metrics.
"""

from __future__ import annotations

from bot.health import codes as C
from bot.health import thresholds as T
from bot.health.findings import STATUS_SEVERITY, Findings, band
from bot.health.ice import PATH_LABEL, PATH_RANK, Path, measured, selected_paths
from bot.health.lifecycle import Lifecycle
from bot.health.model import Area
from bot.health.precall import assess_precall
from bot.health.quality import QualitySignals
from bot.health.values import fmt_ms, fmt_share, rounded
from bot.realtimekit.models import IPInformation, Participant, ReportMetadata


def assess_network(
    participant: Participant,
    signals: QualitySignals,
    lifecycle: Lifecycle,
    extra: Findings | None = None,
) -> Area:
    """The network area; ``extra`` holds findings from elsewhere (SDK events) that belong here."""
    report = participant.peer_report
    metadata = report.metadata if report else None
    found = Findings()
    paths = selected_paths(metadata)
    known = bool(paths) or signals.loss_status != "unknown" or signals.rtt_status != "unknown"
    escalate = signals.loss_status == "poor" or signals.rtt_status == "poor"
    if paths:
        escalate |= _judge_paths(paths, signals, found, escalate)
    if metadata is not None:
        _connectivity(metadata, paths, lifecycle, found)
    known |= _bandwidth(signals, found)
    found.extend(lifecycle.findings)
    if extra is not None:
        found.extend(extra)
    assess_precall(participant, found)
    if metadata is not None and metadata.ip_information is not None:
        _location(metadata.ip_information, found)
    if found.status() != "good":
        known = True  # a measured problem is evidence enough
    if not known:
        return found.area(_unknown_summary(found), known=False)
    # The media RTT (quality) is the call's one RTT number; the path's own stays a metric.
    return found.area(_summary(paths, found, show_rtt=signals.rtt_status == "unknown"))


def _unknown_summary(found: Findings) -> str:
    seen = [f.message.rstrip(".") for f in found.items if f.code != C.NETWORK_LOCATION][:1]
    what = f"; only: {seen[0][0].lower()}{seen[0][1:]}" if seen else ""
    return (
        "No connection data in this report to judge from (no candidate pair, loss or round-trip "
        f"time measured){what}{_where(found)}"
    )


# --- the selected path -------------------------------------------------------------------------


def _judge_paths(
    paths: list[Path], signals: QualitySignals, found: Findings, escalate: bool
) -> bool:
    """Findings about the path itself; returns whether the path RTT was poor."""
    worst = max(paths, key=lambda p: PATH_RANK[p.kind])
    same = [p.transport for p in paths if p.kind == worst.kind]
    which = "sending and receiving" if len(same) > 1 else worst.transport
    head = paths[0]
    found.metric("candidate_type", head.candidate_type)
    found.metric("protocol", head.protocol)
    found.metric("path", worst.kind)
    found.metric("path_meaning", worst.meaning)
    for path in paths:
        prefix = "send" if path.transport == "sending" else "recv"
        found.metric(f"{prefix}_candidate_type", path.candidate_type)
        found.metric(f"{prefix}_protocol", path.protocol)
        found.metric(f"{prefix}_remote_candidate_type", path.pair.remote_candidate_type)
        found.metric(f"{prefix}_rtt_ms", rounded(path.rtt_ms, 1))
        found.metric(f"{prefix}_network_type", path.pair.local_candidate_network_type)
        found.metric(f"{prefix}_path_meaning", path.meaning)

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
        # One finding per cause: the quality pass judges RTT from the media samples when it
        # has them; the candidate pair speaks only when it did not. Latency alone degrades a
        # call (talk-over) but does not break it: a warning above 300 ms (ITU-T G.114's 150 ms
        # one way, doubled), never poor (a 630 ms GEO link is fair).
        if rtt > T.RTT_POOR_MS and signals.rtt_status == "unknown":
            found.add(
                "warning",
                C.NETWORK_RTT_HIGH,
                f"Round trip to the media server on the {high.transport} path was {fmt_ms(rtt)} "
                f"(candidate pair RTT; up to {fmt_ms(T.RTT_POOR_MS)} is fine for conversation) "
                "— usually distance, a VPN or a congested link.",
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
            measured(producing.pair.available_outgoing_bitrate),
            signals.sends_video,
            "outgoing",
            C.NETWORK_LOW_UPLINK,
            "upload",
        )
    if consuming is not None:
        _bitrate(
            found,
            measured(consuming.pair.available_incoming_bitrate),
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


def _summary(paths: list[Path], found: Findings, *, show_rtt: bool) -> str:
    parts: list[str] = []
    if paths:
        worst = max(paths, key=lambda p: PATH_RANK[p.kind])
        parts.append(PATH_LABEL[worst.kind])
        rtt = found.metrics.get("rtt_avg_ms")
        if show_rtt and isinstance(rtt, float | int):
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
