"""Where a triage reads from: the live API (through the shared cache) or a bundled session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.realtimekit.errors import ConfigurationError
from bot.realtimekit.gate import RateGate
from bot.triage.fanout import DEFAULT_CONCURRENCY, Fetch, Progress
from bot.triage.session import DEFAULT_MAX_PEERS, SessionApi, triage_session

if TYPE_CHECKING:
    from bot.ids import SessionRef
    from bot.realtimekit.client import FetchedReport
    from bot.service import ReportSource
    from bot.triage.model import Triage


@dataclass(frozen=True)
class Backend:
    """Session endpoints, a report fetcher and the client's shared 429 gate."""

    api: SessionApi
    fetch: Fetch
    gate: RateGate | None = None


def demo_backend(session_id: str | None = None, name: str | None = None) -> Backend:
    """A bundled session: by name, else the one with this session ID, else the default."""
    from bot.samples.sessions import DEFAULT_SESSION, DemoSession, session_by_id

    chosen = name or (session_by_id(session_id) if session_id else None) or DEFAULT_SESSION
    demo = DemoSession(chosen)
    return Backend(demo, demo.fetch)


def backend_for(source: ReportSource, ref: SessionRef, *, demo: bool = False) -> Backend:
    """The backend behind a report source (live, multi-workspace or demo)."""
    from bot.service import DemoSource, LiveSource, TeamSource, current_team

    if demo or isinstance(source, DemoSource):
        return demo_backend(ref.session_id)

    async def fetch(app_id: str, peer_id: str) -> FetchedReport:
        # With peer events: the same cache entry the Slack peer card uses.
        return await source.fetch(app_id, peer_id, include_peer_events=True)

    client: Any
    if isinstance(source, LiveSource):
        client = source.client
    elif isinstance(source, TeamSource):
        team = current_team.get()
        if not team:
            raise ConfigurationError("No Slack workspace in this request.")
        client = source._client(team)
    else:
        raise ConfigurationError("Whole-call triage needs the Cloudflare API or --demo.")
    return Backend(client, fetch, client.rate_gate)


async def run_triage(
    backend: Backend,
    ref: SessionRef,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    max_peers: int = DEFAULT_MAX_PEERS,
    progress: Progress | None = None,
) -> Triage:
    return await triage_session(
        backend.api,
        backend.fetch,
        ref.app_id,
        ref.session_id,
        concurrency=concurrency,
        max_peers=max_peers,
        gate=backend.gate,
        progress=progress,
    )
