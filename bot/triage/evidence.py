"""Per-sender received loss and uplink loss, read straight from one peer report (pure).

A fallback for when the health engine's ``Assessment.received_from`` is empty. Consumer
samples name the remote sender (``peer_id``); loss per sender is the growth of
``packets_lost`` against ``packets_received`` over each consumer's counters (a counter that
goes down is a restart and counts from zero). Uplink loss is the worst cumulative
``packet_loss.avg`` of what this peer sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.health import thresholds as T
from bot.health.model import SenderStats
from bot.health.tracks import TRACKS
from bot.realtimekit.models import Participant, Quality

#: Received loss at or above this (percent, all of a sender's media) is "lossy".
LOSSY_PCT = T.VIDEO_LOSS_POOR_PCT


@dataclass
class _Tally:
    lost: float = 0.0
    received: float = 0.0
    media: set[str] = field(default_factory=set)


@dataclass
class _Counter:
    lost: float | None = None
    received: float | None = None


def _grow(previous: float | None, current: float | None) -> float:
    if current is None or current < 0:
        return 0.0
    if previous is None:
        return 0.0
    return current - previous if current >= previous else current


def received_by_sender(participant: Participant) -> tuple[SenderStats, ...]:
    """What this participant received from each remote sender, sorted by sender ID."""
    report = participant.peer_report
    quality: Quality | None = report.quality if report else None
    if quality is None:
        return ()
    own = (participant.id or "").lower()
    tallies: dict[str, _Tally] = {}
    for track in TRACKS:
        if track.sent:
            continue
        samples: Sequence[object] | None = getattr(quality, track.key, None)
        counters: dict[tuple[str, str], _Counter] = {}
        for sample in samples or ():
            sender = str(getattr(sample, "peer_id", None) or "").lower()
            if not sender or sender == own:
                continue
            stream = str(
                getattr(sample, "consumer_id", None) or getattr(sample, "producer_id", None) or ""
            )
            counter = counters.setdefault((sender, stream), _Counter())
            lost = getattr(sample, "packets_lost", None)
            received = getattr(sample, "packets_received", None)
            tally = tallies.setdefault(sender, _Tally())
            tally.lost += _grow(counter.lost, lost)
            tally.received += _grow(counter.received, received)
            tally.media.add(track.family)
            if lost is not None:
                counter.lost = lost
            if received is not None:
                counter.received = received
    out: list[SenderStats] = []
    for sender in sorted(tallies):
        tally = tallies[sender]
        packets = tally.lost + tally.received
        loss = round(100 * tally.lost / packets, 2) if packets > 0 else None
        out.append(
            SenderStats(
                peer_id=sender,
                media=tuple(sorted(tally.media)),
                loss_pct=loss,
                packets=int(packets),
                lossy=loss is not None and loss >= LOSSY_PCT,
            )
        )
    return tuple(out)


def uplink_loss(participant: Participant) -> float | None:
    """The worst cumulative loss of what this participant sent, ``None`` when not measured."""
    report = participant.peer_report
    quality = report.quality if report else None
    if quality is None:
        return None
    values: list[float] = []
    for track in TRACKS:
        if not track.sent:
            continue
        cumulative = getattr(quality, f"{track.key}_cumulative", None)
        loss = getattr(getattr(cumulative, "packet_loss", None), "avg", None)
        if isinstance(loss, int | float) and loss >= 0:
            values.append(float(loss))
    return max(values) if values else None


def sends_media(participant: Participant) -> bool:
    """Whether the report has any producer (sent) stats."""
    report = participant.peer_report
    quality = report.quality if report else None
    if quality is None:
        return False
    return any(
        getattr(quality, track.key, None) or getattr(quality, f"{track.key}_cumulative", None)
        for track in TRACKS
        if track.sent
    )
