"""The candidate pairs view: each transport's pairs, the nominated one first."""

from __future__ import annotations

from bot.health.ice import path_meaning
from bot.realtimekit.models import CandidatePair, Participant
from bot.render.escape import inline
from bot.render.limits import clip
from bot.render.privacy import shown_ip
from bot.render.sections.content import TITLES, Section, bitrate, metadata_of, num, size_text

__all__ = ["pair_text", "pairs_section", "path_meaning"]


def pair_text(pair: CandidatePair, show_ip: bool, *, title: str) -> str:
    local = " ".join(
        p
        for p in (
            inline(pair.local_candidate_type or "?"),
            inline((pair.local_candidate_protocol or "?").upper()),
            inline(shown_ip(pair.local_candidate_address, show_ip) or "?")
            + (f":{num(pair.local_candidate_port)}" if pair.local_candidate_port else ""),
        )
    )
    remote = " ".join(
        p
        for p in (
            inline(pair.remote_candidate_type or "?"),
            inline(pair.remote_candidate_address or "?")
            + (f":{num(pair.remote_candidate_port)}" if pair.remote_candidate_port else ""),
        )
    )
    rtt = pair.current_round_trip_time
    lines = [
        f"*{title}*" + (" · nominated ✅" if pair.nominated else ""),
        f"local {local} → remote {remote}",
        f"RTT {num(rtt * 1000 if rtt is not None else None)} ms"
        f" · out {bitrate(pair.available_outgoing_bitrate)}"
        f" · in {bitrate(pair.available_incoming_bitrate)}"
        f" · sent {size_text(pair.bytes_sent)} / received {size_text(pair.bytes_received)}"
        f" · packets {num(pair.packets_sent)} / {num(pair.packets_received)}",
    ]
    if pair.local_candidate_url:
        lines.append(f"relay `{inline(clip(pair.local_candidate_url, 120))}`")
    if pair.nominated:
        lines.append(f"_{path_meaning(pair)}_")
    return "\n".join(lines)


def pairs_section(participant: Participant, show_ip: bool) -> Section:
    metadata = metadata_of(participant)
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
            rows.append(pair_text(pair, show_ip, title=f"{label} transport · pair {index}"))
    masked = "" if show_ip else " Customer addresses are masked."
    return Section(
        TITLES["pairs"],
        f"{total} ICE candidate pairs; the nominated (in-use) pair of each transport first."
        + masked,
        rows,
        empty="No candidate pairs in this report — the peer may not have connected media, or "
        "the report was fetched with a filter.",
    )
