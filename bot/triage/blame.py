"""Cross-peer blame: whose connection caused what others suffered (pure, deterministic).

Input: every participant's :class:`PeerEvidence` (its per-sender received stats and its own
uplink loss). Rules (DESIGN.md, "Whole-call triage"):

* ``downlink``: a receiver that lost media from every sender (at least two) while its own
  upload was clean (or it sent nothing) — its download is the problem.
* ``uplink``: a sender whose media arrived lossy at most of its receivers (not counting
  receivers already explained by their downlink) and whose own sent stats agree.
* ``path``: a lossy sender→receiver pair that neither rule explains — one pair only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.health import thresholds as T
from bot.triage.model import Blame, PeerEvidence

#: Own sent loss at or above this (percent) "agrees" that the upload was lossy.
UPLINK_AGREES_PCT = T.AUDIO_LOSS_FAIR_PCT
#: Own sent loss below this (percent) counts as a clean upload.
UPLINK_CLEAN_PCT = T.AUDIO_LOSS_FAIR_PCT
#: Blame sentences at most (the worst first); the rest are counted in the card.
MAX_BLAME = 20


@dataclass(frozen=True)
class _Edge:
    sender: str
    receiver: str
    loss: float | None
    lossy: bool
    media: tuple[str, ...]


def _pct(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _range(values: Iterable[float | None]) -> str:
    known = sorted(v for v in values if v is not None)
    if not known:
        return "an unmeasured share"
    low, high = known[0], known[-1]
    if _pct(low) == _pct(high):
        return f"{_pct(low)} %"
    return f"{_pct(low)}–{_pct(high)} %"


def _media(edges: Iterable[_Edge]) -> str:
    kinds = sorted({m for e in edges for m in e.media})
    return " and ".join(kinds) if kinds else "media"


def _name(peer: PeerEvidence | None, peer_id: str) -> str:
    return peer.display_name if peer is not None and peer.display_name else peer_id[:8]


def _edges(peers: Iterable[PeerEvidence]) -> list[_Edge]:
    edges: list[_Edge] = []
    for receiver in peers:
        for stats in receiver.received_from:
            if stats.peer_id == receiver.peer_id or stats.packets <= 0:
                continue
            edges.append(
                _Edge(stats.peer_id, receiver.peer_id, stats.loss_pct, stats.lossy, stats.media)
            )
    return edges


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def assign_blame(peers: Iterable[PeerEvidence]) -> tuple[Blame, ...]:
    """Blame sentences, uplink first (they hurt the most people), then downlink, then paths."""
    people = list(peers)
    by_id = {p.peer_id: p for p in people}
    edges = _edges(people)
    blames: list[Blame] = []

    # Downlink: lossy from every sender (≥ 2) while its own upload was clean.
    downlink: set[str] = set()
    for receiver in people:
        incoming = [e for e in edges if e.receiver == receiver.peer_id]
        if len(incoming) < 2 or not all(e.lossy for e in incoming):
            continue
        up = receiver.uplink_loss_pct
        if up is not None and up >= UPLINK_CLEAN_PCT:
            continue
        downlink.add(receiver.peer_id)
        upload = (
            f"their own upload was clean ({_pct(up)} % loss)"
            if up is not None
            else "they sent no media of their own"
        )
        name = _name(receiver, receiver.peer_id)
        blames.append(
            Blame(
                peer_id=receiver.peer_id,
                display_name=name,
                direction="downlink",
                evidence=(
                    f"{name}'s download: {_media(incoming)} from {len(incoming)} of "
                    f"{_plural(len(incoming), 'sender')} arrived lossy "
                    f"({_range(e.loss for e in incoming)}) while {upload}."
                ),
                affected=len(incoming),
                of=len(incoming),
            )
        )

    # Uplink: lossy at most receivers (downlink receivers aside) and own sent stats agree.
    uplink: set[str] = set()
    senders = sorted({e.sender for e in edges})
    for sender_id in senders:
        outgoing = [e for e in edges if e.sender == sender_id]
        judged = [e for e in outgoing if e.receiver not in downlink]
        lossy = [e for e in judged if e.lossy]
        if not judged or 2 * len(lossy) <= len(judged):
            continue
        who = by_id.get(sender_id)
        up = who.uplink_loss_pct if who is not None else None
        if up is None or up < UPLINK_AGREES_PCT:
            continue
        uplink.add(sender_id)
        affected = [e for e in outgoing if e.lossy]
        name = _name(who, sender_id)
        blames.append(
            Blame(
                peer_id=sender_id,
                display_name=name,
                direction="uplink",
                evidence=(
                    f"{name}'s upload: {len(affected)} of "
                    f"{_plural(len(outgoing), 'receiver')} lost "
                    f"{_range(e.loss for e in affected)} of their {_media(affected)}, and their "
                    f"own sent stats agree ({_pct(up)} % loss on what they sent)."
                ),
                affected=len(affected),
                of=len(outgoing),
            )
        )

    # Path: a lossy pair that neither end explains.
    for edge in edges:
        if not edge.lossy or edge.sender in uplink or edge.receiver in downlink:
            continue
        others = [
            e
            for e in edges
            if (e.sender == edge.sender or e.receiver == edge.receiver) and e is not edge
        ]
        if any(e.lossy and e.sender not in uplink and e.receiver not in downlink for e in others):
            continue
        s_name = _name(by_id.get(edge.sender), edge.sender)
        r_name = _name(by_id.get(edge.receiver), edge.receiver)
        loss = f"{_pct(edge.loss)} %" if edge.loss is not None else "lossy"
        blames.append(
            Blame(
                peer_id=edge.receiver,
                display_name=r_name,
                direction="path",
                evidence=(
                    f"The path from {s_name} to {r_name}: only {r_name} lost {s_name}'s "
                    f"{_media([edge])} ({loss}); every other pair with either of them was clean."
                ),
                affected=1,
                of=1,
            )
        )

    order = {"uplink": 0, "downlink": 1, "path": 2}
    blames.sort(key=lambda b: (order[b.direction], -b.affected, b.display_name, b.peer_id))
    return tuple(blames[:MAX_BLAME])


def next_step(blame: Blame) -> str:
    """What to do about one blame, in one sentence (shown under it on the card and in text)."""
    name = blame.display_name
    if blame.direction == "uplink":
        return (
            f"Ask {name} to fix their upload: move closer to the Wi-Fi router or use a cable, "
            "pause other uploads (cloud sync, backups), or turn their camera off."
        )
    if blame.direction == "downlink":
        return (
            f"{name}'s download is the problem: try another network (cable, other Wi-Fi, "
            "tethering), pause other downloads and streams, or receive less video."
        )
    return (
        f"Only this route is bad: if it persists, have {name} switch network; "
        "nobody else needs to change anything."
    )
