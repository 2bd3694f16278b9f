"""Where reports come from: the live API (through the cache) or the bundled demo samples.

Both the CLI and the Slack listeners ask a :class:`ReportSource`; neither knows which one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from bot.cache import ReportCache, ReportKey

if TYPE_CHECKING:
    from bot.realtimekit.client import FetchedReport, RealtimeKitClient

#: The sample `serve --demo` answers with when no sample has the peer's ID.
DEFAULT_DEMO = "mobile-loss"


class ReportSource(Protocol):
    """Anything that can produce a peer's report."""

    async def fetch(
        self,
        app_id: str,
        peer_id: str,
        *,
        include_peer_events: bool = False,
        filters: Sequence[str] = (),
        refresh: bool = False,
    ) -> FetchedReport: ...

    async def aclose(self) -> None: ...


class LiveSource:
    """The Cloudflare API behind the shared report cache (single-flight, TTL)."""

    def __init__(self, client: RealtimeKitClient, cache: ReportCache) -> None:
        self.client = client
        self.cache = cache

    async def fetch(
        self,
        app_id: str,
        peer_id: str,
        *,
        include_peer_events: bool = False,
        filters: Sequence[str] = (),
        refresh: bool = False,
    ) -> FetchedReport:
        key = ReportKey(
            account_id=self.client.account_id,
            app_id=app_id,
            peer_id=peer_id,
            filters=tuple(filters),
            include_peer_events=include_peer_events,
        )

        async def load() -> FetchedReport:
            return await self.client.get_peer_report(
                app_id, peer_id, filters=filters or None, include_peer_events=include_peer_events
            )

        return await self.cache.get_or_fetch(key, load, refresh=refresh)

    async def aclose(self) -> None:
        await self.client.aclose()
        await self.cache.aclose()


class DemoSource:
    """Bundled samples: the sample whose participant id matches, else the default sample."""

    def __init__(self, default: str = DEFAULT_DEMO) -> None:
        self.default = default

    async def fetch(
        self,
        app_id: str,
        peer_id: str,
        *,
        include_peer_events: bool = False,
        filters: Sequence[str] = (),
        refresh: bool = False,
    ) -> FetchedReport:
        from bot.realtimekit.client import FetchedReport
        from bot.realtimekit.models import parse_participant
        from bot.samples import load_sample_bytes, sample_for_peer

        name = sample_for_peer(peer_id) or self.default
        raw = load_sample_bytes(name)
        return FetchedReport(
            participant=parse_participant(raw),
            raw=raw,
            fetched_at=datetime.now(UTC),
            app_id=app_id,
            peer_id=peer_id,
        )

    async def aclose(self) -> None:
        return None
