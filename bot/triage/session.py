"""``triage_session``: a session's details and participants, every report, the blame."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

from bot.ids import UUID_RE
from bot.realtimekit.gate import RateGate
from bot.realtimekit.session_models import SessionDetails, SessionParticipant
from bot.triage.blame import assign_blame
from bot.triage.fanout import DEFAULT_CONCURRENCY, Fetch, Progress, Wanted, fan_out
from bot.triage.model import SessionInfo, Skipped, Triage, worst_first

DEFAULT_MAX_PEERS = 100
#: Cloudflare allows 1,200 requests per 5 minutes per token; one triage uses at most half.
TOKEN_REQUESTS_PER_5_MIN = 1200
REQUEST_BUDGET = TOKEN_REQUESTS_PER_5_MIN // 2
#: Presets/roles that usually send media (hosts, presenters) — triaged first in large calls.
SENDER_HINTS = ("host", "present", "speaker", "panel", "moderat", "organi", "teacher", "coach")


class SessionApi(Protocol):
    async def get_session(self, app_id: str, session_id: str) -> SessionDetails: ...

    def iter_session_participants(
        self, app_id: str, session_id: str
    ) -> AsyncIterator[SessionParticipant]: ...


@dataclass(frozen=True)
class Plan:
    """Which participants to fetch, and the ones left out with why."""

    fetch: tuple[Wanted, ...]
    left_out: tuple[Skipped, ...]
    reason: str = ""


def likely_sender(participant: SessionParticipant) -> bool:
    words = f"{participant.preset_name or ''} {participant.role or ''}".lower()
    return any(hint in words for hint in SENDER_HINTS)


def plan(participants: list[SessionParticipant], max_peers: int) -> Plan:
    """All of them, or (above ``max_peers``) likely senders first and an even sample of the rest.

    The sample is deterministic: every k-th of the remaining participants in list order.
    """
    wanted = [
        Wanted(str(p.id).lower(), p.display_name or "")
        for p in participants
        if p.id and UUID_RE.fullmatch(p.id)
    ]
    if len(wanted) <= max_peers:
        return Plan(tuple(wanted), ())
    valid = [p for p in participants if p.id and UUID_RE.fullmatch(p.id)]
    senders = [w for w, p in zip(wanted, valid, strict=True) if likely_sender(p)][:max_peers]
    chosen = {w.peer_id for w in senders}
    rest = [w for w in wanted if w.peer_id not in chosen]
    room = max_peers - len(senders)
    sample: list[Wanted] = []
    if room > 0 and rest:
        step = len(rest) / room
        sample = [rest[int(i * step)] for i in range(room)]
    picked = {w.peer_id for w in [*senders, *sample]}
    reason = (
        f"not fetched: large call ({len(wanted)} participants, --max-peers {max_peers}); "
        f"triaged {len(senders)} hosts/presenters and a sample of {len(sample)} of the "
        f"other {len(rest)}"
    )
    left = tuple(Skipped(w.peer_id, reason) for w in wanted if w.peer_id not in picked)
    return Plan((*senders, *sample), left, reason)


def _status(details: SessionDetails) -> str:
    status = (details.status or "").upper()
    if status in ("LIVE", "ENDED"):
        return status
    return "ENDED" if details.ended_at else "LIVE"


async def triage_session(
    api: SessionApi,
    fetch: Fetch,
    app_id: str,
    session_id: str,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    max_peers: int = DEFAULT_MAX_PEERS,
    gate: RateGate | None = None,
    progress: Progress | None = None,
) -> Triage:
    """Diagnose every participant of a session and say whose connection caused what."""
    start = gate.requests if gate is not None else 0
    details = await api.get_session(app_id, session_id)
    listed: list[SessionParticipant] = []
    seen: set[str] = set()
    invalid: list[Skipped] = []
    async for participant in api.iter_session_participants(app_id, session_id):
        key = (participant.id or "").lower()
        if key in seen:
            continue
        seen.add(key)
        if not UUID_RE.fullmatch(key):
            invalid.append(Skipped(key or "(missing)", "the session lists no valid peer ID"))
            continue
        listed.append(participant)
    used = (gate.requests - start) if gate is not None else 0
    cap = max(0, min(max_peers, REQUEST_BUDGET - used))
    chosen = plan(listed, cap)
    evidence, failed = await fan_out(
        app_id,
        chosen.fetch,
        fetch,
        concurrency=concurrency,
        gate=gate,
        budget=REQUEST_BUDGET - used if gate is not None else None,
        progress=progress,
    )
    status = _status(details)
    info = SessionInfo(
        session_id=session_id,
        app_id=app_id,
        meeting_title=details.meeting_display_name or "Untitled meeting",
        status="LIVE" if status == "LIVE" else "ENDED",
        started_at=details.started_at,
        ended_at=details.ended_at,
    )
    budget_skips = [s for s in failed if s.reason.startswith("not fetched")]
    return Triage(
        info=info,
        participants=tuple(worst_first(evidence)),
        blame=assign_blame(evidence),
        skipped=(*failed, *invalid, *chosen.left_out),
        total=len(listed),
        not_fetched_reason=chosen.reason or (budget_skips[0].reason if budget_skips else ""),
        not_fetched=len(chosen.left_out) + len(budget_skips),
    )
