"""Where reports come from: the live API (through the cache) or the bundled demo samples.

Both the CLI and the Slack listeners ask a :class:`ReportSource`; neither knows which one.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from bot.cache import ReportCache, ReportKey
from bot.credentials import CloudflareCredentials, CredentialStore
from bot.realtimekit.errors import ConfigurationError

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.realtimekit.client import FetchedReport, RealtimeKitClient

#: The Slack workspace the current request came from (multi-workspace mode).
current_team: ContextVar[str | None] = ContextVar("current_team", default=None)

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


class TeamSource:
    """Multi-workspace mode: each Slack workspace's own Cloudflare credentials (encrypted).

    The workspace comes from :data:`current_team`, set per request by the Slack app's
    middleware; the report cache is shared (its keys include the Cloudflare account).
    """

    def __init__(self, settings: Settings, store: CredentialStore, cache: ReportCache) -> None:
        self.settings = settings
        self.store = store
        self.cache = cache
        self._clients: dict[str, tuple[CloudflareCredentials, RealtimeKitClient]] = {}

    def _client(self, team_id: str) -> RealtimeKitClient:
        from bot.realtimekit.client import RealtimeKitClient

        credentials = self.store.load(team_id)
        if credentials is None:
            raise ConfigurationError(
                "This workspace has not connected a Cloudflare account yet: open the "
                "peer-report app's Home tab and choose Connect Cloudflare (workspace admins)."
            )
        known = self._clients.get(team_id)
        if known is not None and known[0] == credentials:
            return known[1]
        client = RealtimeKitClient(
            account_id=credentials.account_id,
            api_token=credentials.api_token,
            base_url=self.settings.cloudflare_api_base_url,
            timeout=self.settings.cloudflare_timeout,
        )
        self._clients[team_id] = (credentials, client)
        return client

    async def fetch(
        self,
        app_id: str,
        peer_id: str,
        *,
        include_peer_events: bool = False,
        filters: Sequence[str] = (),
        refresh: bool = False,
    ) -> FetchedReport:
        team = current_team.get()
        if not team:
            raise ConfigurationError("No Slack workspace in this request.")
        source = LiveSource(self._client(team), self.cache)
        return await source.fetch(
            app_id,
            peer_id,
            include_peer_events=include_peer_events,
            filters=filters,
            refresh=refresh,
        )

    async def aclose(self) -> None:
        for _, client in self._clients.values():
            await client.aclose()
        await self.cache.aclose()
