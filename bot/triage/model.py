"""What a triage produces: the per-peer results, the blame and the JSON contract (pure data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.health.model import AREA_NAMES, Assessment, SenderStats, Status

Direction = Literal["uplink", "downlink", "path"]

#: Participants are listed worst first: poor, fair, unknown, good.
ORDER: dict[Status, int] = {"poor": 0, "fair": 1, "unknown": 2, "good": 3}


@dataclass(frozen=True)
class PeerEvidence:
    """All a triage keeps of one participant's report (the report itself is dropped)."""

    peer_id: str
    display_name: str
    assessment: Assessment
    received_from: tuple[SenderStats, ...] = ()
    uplink_loss_pct: float | None = None
    sends_media: bool = False

    @property
    def overall(self) -> Status:
        return self.assessment.overall

    @property
    def headline(self) -> str:
        """The engine's headline, else the worst area's summary."""
        if self.assessment.headline:
            return self.assessment.headline
        areas = [a for a in self.assessment.areas.values() if a.status in ("poor", "fair")]
        areas.sort(key=lambda a: ORDER[a.status])
        if areas:
            return areas[0].summary
        if self.overall == "good":
            return "No problems found."
        return "Not enough data to judge."


@dataclass(frozen=True)
class Blame:
    """Whose connection caused what others suffered."""

    peer_id: str
    display_name: str
    direction: Direction
    evidence: str
    affected: int
    of: int

    def as_json(self) -> dict[str, Any]:
        return {
            "peer_id": self.peer_id,
            "display_name": self.display_name,
            "direction": self.direction,
            "evidence": self.evidence,
            "affected": self.affected,
            "of": self.of,
        }


@dataclass(frozen=True)
class Skipped:
    peer_id: str
    reason: str


@dataclass(frozen=True)
class SessionInfo:
    session_id: str
    app_id: str
    meeting_title: str
    status: Literal["LIVE", "ENDED"]
    started_at: str | None
    ended_at: str | None


@dataclass(frozen=True)
class Triage:
    """The whole-call answer."""

    info: SessionInfo
    participants: tuple[PeerEvidence, ...]
    blame: tuple[Blame, ...]
    skipped: tuple[Skipped, ...] = ()
    #: Participants the session lists in total.
    total: int = 0
    #: Why some participants were not fetched (large call, request budget), or "".
    not_fetched_reason: str = ""
    not_fetched: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"poor": 0, "fair": 0, "good": 0, "unknown": 0}
        for peer in self.participants:
            counts[peer.overall] += 1
        return counts

    def as_json(self) -> dict[str, Any]:
        """The ``--format json`` document (DESIGN.md, "Whole-call triage")."""
        return {
            "session_id": self.info.session_id,
            "app_id": self.info.app_id,
            "meeting_title": self.info.meeting_title,
            "status": self.info.status,
            "started_at": self.info.started_at,
            "ended_at": self.info.ended_at,
            "participants": [
                {
                    "peer_id": p.peer_id,
                    "display_name": p.display_name,
                    "overall": p.overall,
                    "headline": p.headline,
                    "areas": {
                        name: p.assessment.areas[name].status
                        for name in AREA_NAMES
                        if name in p.assessment.areas
                    },
                }
                for p in self.participants
            ],
            "blame": [b.as_json() for b in self.blame],
            "counts": {k: self.counts[k] for k in ("poor", "fair", "good", "unknown")},
            "skipped": [{"peer_id": s.peer_id, "reason": s.reason} for s in self.skipped],
        }


def worst_first(peers: list[PeerEvidence]) -> list[PeerEvidence]:
    """Poor, fair, unknown, good; ties by display name then peer ID (stable, deterministic)."""
    return sorted(peers, key=lambda p: (ORDER[p.overall], p.display_name.lower(), p.peer_id))
