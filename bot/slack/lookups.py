"""From a peer reference to a Slack payload: fetch (through the cache), assess, render.

Every failure the user can act on becomes an error card with its specific sentence; nothing
here raises for an upstream problem.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot import metrics
from bot.ids import PeerRef
from bot.realtimekit.errors import PeerReportError
from bot.render.forms import render_error
from bot.slack.services import Services

if TYPE_CHECKING:
    from bot.realtimekit.client import FetchedReport

log = logging.getLogger("bot.slack")

UNEXPECTED = (
    "Something went wrong while building this peer report. It has been logged; try again, "
    "or run `peer-report show {app} {peer}` from a terminal."
)


@dataclass(frozen=True)
class Outcome:
    """A card to show, and the report behind it when the lookup worked."""

    payload: dict[str, Any]
    report: FetchedReport | None = None

    @property
    def ok(self) -> bool:
        return self.report is not None


async def fetch(services: Services, ref: PeerRef, *, refresh: bool = False) -> FetchedReport:
    """The report for ``ref`` (with peer events, so every view shares one cache entry)."""
    async with metrics.lookup():
        return await services.source.fetch(
            ref.app_id, ref.peer_id, include_peer_events=True, refresh=refresh
        )


async def summary_card(
    services: Services, ref: PeerRef, *, channel_id: str | None, refresh: bool = False
) -> Outcome:
    """The summary card for one peer, or an error card saying what went wrong."""
    try:
        report = await fetch(services, ref, refresh=refresh)
    except PeerReportError as exc:
        log.info(
            "lookup failed for app=%s peer=%s: %s", ref.app_id, ref.peer_id, type(exc).__name__
        )
        return Outcome(render_error(f"Peer {ref.peer_id}: {exc}"))
    except Exception:
        log.exception("unexpected failure fetching app=%s peer=%s", ref.app_id, ref.peer_id)
        return Outcome(render_error(UNEXPECTED.format(app=ref.app_id, peer=ref.peer_id)))
    from bot.health import assess
    from bot.render.summary import render_summary

    try:
        assessment = assess(report.participant, app_id=ref.app_id)
        payload = render_summary(
            report.participant,
            assessment,
            app_id=ref.app_id,
            peer_id=ref.peer_id,
            show_ip=services.show_ip_in(channel_id),
            can_post=channel_id is not None,
        )
    except Exception:
        log.exception("unexpected failure rendering app=%s peer=%s", ref.app_id, ref.peer_id)
        return Outcome(render_error(UNEXPECTED.format(app=ref.app_id, peer=ref.peer_id)))
    return Outcome(payload, report)
