"""Fetch and assess many peers' reports: bounded concurrency, a shared 429 pause, a budget.

Each report is assessed as soon as it arrives and only the :class:`PeerEvidence` is kept, so
memory does not grow with report size × participants. A failed peer becomes a
:class:`Skipped` with its reason; the others still report.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.realtimekit.errors import PeerReportError
from bot.realtimekit.gate import RateGate
from bot.triage.model import PeerEvidence, Skipped

if TYPE_CHECKING:
    from bot.realtimekit.client import FetchedReport

log = logging.getLogger("bot.triage")

Fetch = Callable[[str, str], Awaitable["FetchedReport"]]
Progress = Callable[[int, int], Awaitable[None]]

DEFAULT_CONCURRENCY = 8
#: A pause longer than this (seconds) is not waited out inside one triage.
MAX_PAUSE = 20.0


@dataclass(frozen=True)
class Wanted:
    """A peer to fetch and the name the session list gave it."""

    peer_id: str
    display_name: str = ""


def evidence_of(report: FetchedReport, app_id: str, want: Wanted) -> PeerEvidence:
    """Assess one report and keep only what triage needs (pure)."""
    from bot.health import assess
    from bot.triage.evidence import received_by_sender, sends_media, uplink_loss

    participant = report.participant
    assessment = assess(participant, app_id=app_id)
    if assessment.peer_id != want.peer_id:
        assessment = assessment.model_copy(
            update={"peer_id": want.peer_id, "participant_id": participant.id}
        )
    received = assessment.received_from or received_by_sender(participant)
    uplink = assessment.uplink_loss_pct
    if uplink is None:
        uplink = uplink_loss(participant)
    name = want.display_name or assessment.display_name or want.peer_id[:8]
    return PeerEvidence(
        peer_id=want.peer_id,
        display_name=name,
        assessment=assessment,
        received_from=tuple(received),
        uplink_loss_pct=uplink,
        sends_media=sends_media(participant),
    )


async def fan_out(
    app_id: str,
    wanted: Sequence[Wanted],
    fetch: Fetch,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    gate: RateGate | None = None,
    budget: int | None = None,
    progress: Progress | None = None,
) -> tuple[list[PeerEvidence], list[Skipped]]:
    """Every wanted peer's evidence (in input order) and the peers that were skipped.

    At most ``concurrency`` fetches run at once. With a ``gate``, no fetch starts while a 429
    pause is on (a pause longer than :data:`MAX_PAUSE` skips the remaining peers instead),
    and once ``budget`` requests have started through the gate the rest are not fetched.
    """
    limit = asyncio.Semaphore(max(1, concurrency))
    results: dict[int, PeerEvidence] = {}
    skipped: dict[int, Skipped] = {}
    done = 0
    start_count = gate.requests if gate is not None else 0

    async def work(index: int, want: Wanted) -> None:
        async with limit:
            try:
                if gate is not None:
                    wait = gate.remaining()
                    if wait > MAX_PAUSE:
                        skipped[index] = Skipped(
                            want.peer_id,
                            f"not fetched: Cloudflare's rate limit asks to wait {wait:.0f} s",
                        )
                        return
                    if budget is not None and gate.requests - start_count >= budget:
                        skipped[index] = Skipped(
                            want.peer_id,
                            f"not fetched: this triage's budget of {budget} API requests "
                            "(half of the token's 1,200 per 5 minutes) was used",
                        )
                        return
                report = await fetch(app_id, want.peer_id)
            except PeerReportError as exc:
                skipped[index] = Skipped(want.peer_id, str(exc))
                return
            except Exception:
                log.exception("triage: unexpected failure for peer %s", want.peer_id)
                skipped[index] = Skipped(want.peer_id, "unexpected error while fetching (logged)")
                return
        # The slot is free before assessing (CPU work): let the next fetch start first.
        await asyncio.sleep(0)
        try:
            results[index] = evidence_of(report, app_id, want)
            del report
        except Exception:
            log.exception("triage: unexpected failure assessing peer %s", want.peer_id)
            skipped[index] = Skipped(
                want.peer_id, "unexpected error while assessing this report (logged)"
            )

    async def one(index: int, want: Wanted) -> None:
        nonlocal done
        await work(index, want)
        done += 1
        if progress is not None:
            # Outside the concurrency slot: a slow progress message never holds a fetch back.
            try:
                await progress(done, len(wanted))
            except Exception:
                log.warning("triage progress callback failed", exc_info=True)

    await asyncio.gather(*(one(i, w) for i, w in enumerate(wanted)))
    return (
        [results[i] for i in sorted(results)],
        [skipped[i] for i in sorted(skipped)],
    )
