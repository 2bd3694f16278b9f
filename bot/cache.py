"""Report cache: TTL + single-flight (in-memory). Redis support lands separately."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from cachetools import TTLCache

from bot.config import Settings
from bot.realtimekit.client import FetchedReport

Loader = Callable[[], Awaitable[FetchedReport]]


@dataclass(frozen=True)
class ReportKey:
    account_id: str
    app_id: str
    peer_id: str
    filters: tuple[str, ...] = ()
    include_peer_events: bool = False

    def redis_key(self) -> str:
        filters = ",".join(self.filters) or "-"
        events = int(self.include_peer_events)
        return f"peer-report:v1:{self.account_id}:{self.app_id}:{self.peer_id}:{filters}:{events}"


class ReportCache(Protocol):
    async def get_or_fetch(
        self, key: ReportKey, loader: Loader, *, refresh: bool = False
    ) -> FetchedReport: ...

    async def peek(self, key: ReportKey) -> FetchedReport | None: ...

    async def aclose(self) -> None: ...


class MemoryReportCache:
    def __init__(
        self, ttl: float, maxsize: int = 256, timer: Callable[[], float] = time.monotonic
    ) -> None:
        self._store: TTLCache[ReportKey, FetchedReport] = TTLCache(
            maxsize=maxsize, ttl=ttl, timer=timer
        )
        self._flights: dict[ReportKey, asyncio.Future[FetchedReport]] = {}

    async def peek(self, key: ReportKey) -> FetchedReport | None:
        return self._store.get(key)

    async def get_or_fetch(
        self, key: ReportKey, loader: Loader, *, refresh: bool = False
    ) -> FetchedReport:
        if not refresh:
            hit = self._store.get(key)
            if hit is not None:
                return hit
        flight = self._flights.get(key)
        if flight is not None:
            return await asyncio.shield(flight)
        future: asyncio.Future[FetchedReport] = asyncio.get_running_loop().create_future()
        self._flights[key] = future
        try:
            report = await loader()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters re-raise it themselves
            raise
        else:
            self._store[key] = report
            future.set_result(report)
            return report
        finally:
            self._flights.pop(key, None)

    async def aclose(self) -> None:
        self._store.clear()


class RecentLookups(Protocol):
    async def add(self, team_id: str, user_id: str, entry: dict[str, str]) -> None: ...

    async def list(self, team_id: str, user_id: str, limit: int = 10) -> list[dict[str, str]]: ...


class MemoryRecentLookups:
    def __init__(self, cap: int = 10) -> None:
        self.cap = cap
        self._items: dict[tuple[str, str], list[dict[str, str]]] = {}

    async def add(self, team_id: str, user_id: str, entry: dict[str, str]) -> None:
        items = self._items.setdefault((team_id, user_id), [])
        same = (entry.get("app_id"), entry.get("peer_id"))
        items[:] = [e for e in items if (e.get("app_id"), e.get("peer_id")) != same]
        items.insert(0, dict(entry))
        del items[self.cap :]

    async def list(self, team_id: str, user_id: str, limit: int = 10) -> list[dict[str, str]]:
        return [dict(e) for e in self._items.get((team_id, user_id), [])[:limit]]


def make_cache(settings: Settings) -> ReportCache:
    return MemoryReportCache(ttl=settings.cache_ttl)


def make_recent(settings: Settings) -> RecentLookups:
    del settings
    return MemoryRecentLookups()
