"""Report cache: TTL + single-flight, in memory by default, Redis to share across replicas.

* Concurrent identical lookups share one upstream request (an in-process future per key).
* With Redis, replicas share stored reports (raw bytes + fetch time, ``EX`` = TTL) and one
  upstream request: the replica that wins ``SET lock NX PX`` fetches, the others poll for the
  value (bounded), then fetch themselves.
* Redis trouble (down, slow, killed mid-way) degrades to direct fetches with a WARNING on
  ``bot.cache``, never to a user-visible error. Report contents and tokens are never logged.
* ``redis`` is imported only when a Redis URL is configured.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from cachetools import TTLCache

from bot import metrics
from bot.timeutil import parse_ts

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.realtimekit.client import FetchedReport

log = logging.getLogger("bot.cache")

Loader = Callable[[], Awaitable["FetchedReport"]]


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


class SingleFlight:
    """One in-process flight per key: every concurrent caller awaits the same result."""

    def __init__(self) -> None:
        self._flights: dict[str, asyncio.Future[FetchedReport]] = {}

    async def run(self, key: str, work: Loader) -> FetchedReport:
        flight = self._flights.get(key)
        if flight is not None:
            metrics.cache_event("join")
            return await asyncio.shield(flight)
        future: asyncio.Future[FetchedReport] = asyncio.get_running_loop().create_future()
        self._flights[key] = future
        try:
            result = await work()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()
            raise
        else:
            future.set_result(result)
            return result
        finally:
            self._flights.pop(key, None)


class MemoryReportCache:
    def __init__(
        self, ttl: float, maxsize: int = 256, timer: Callable[[], float] = time.monotonic
    ) -> None:
        self._store: TTLCache[ReportKey, FetchedReport] = TTLCache(
            maxsize=maxsize, ttl=ttl, timer=timer
        )
        self._flight = SingleFlight()

    async def peek(self, key: ReportKey) -> FetchedReport | None:
        self._store.expire()
        return self._store.get(key)

    async def get_or_fetch(
        self, key: ReportKey, loader: Loader, *, refresh: bool = False
    ) -> FetchedReport:
        # Drop expired reports now (TTLCache only does it on writes): a big report must not
        # stay held after its TTL just because no other report was fetched since.
        self._store.expire()
        if not refresh:
            hit = self._store.get(key)
            if hit is not None:
                metrics.cache_event("hit")
                return hit

        async def load_and_store() -> FetchedReport:
            metrics.cache_event("miss")
            report = await loader()
            self._store[key] = report
            return report

        return await self._flight.run(f"{key.redis_key()}:{int(refresh)}", load_and_store)

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


class RedisReportCache:
    """Reports shared by every replica through Redis, with a cross-replica fetch lock."""

    def __init__(
        self,
        url: str,
        ttl: float,
        *,
        lock_timeout: float = 30.0,
        wait_poll: float = 0.05,
        socket_timeout: float = 2.0,
    ) -> None:
        import redis.asyncio as aioredis

        self.ttl = max(1, round(ttl))
        self.lock_timeout = lock_timeout
        self.wait_poll = wait_poll
        self._redis = aioredis.from_url(
            url, socket_timeout=socket_timeout, socket_connect_timeout=socket_timeout
        )
        self._flight = SingleFlight()

    @staticmethod
    def _encode(report: FetchedReport) -> bytes:
        header = {
            "fetched_at": report.fetched_at.isoformat(),
            "app_id": report.app_id,
            "peer_id": report.peer_id,
        }
        return json.dumps(header).encode() + b"\n" + report.raw

    @staticmethod
    def _decode(blob: bytes) -> FetchedReport:
        from bot.realtimekit.client import FetchedReport
        from bot.realtimekit.models import parse_participant

        head, _, raw = blob.partition(b"\n")
        header = json.loads(head)
        return FetchedReport(
            participant=parse_participant(raw),
            raw=raw,
            fetched_at=parse_ts(header["fetched_at"]) or datetime.now(UTC),
            app_id=header["app_id"],
            peer_id=header["peer_id"],
        )

    async def _get(self, key: str) -> FetchedReport | None:
        blob = await self._redis.get(key)
        if isinstance(blob, str):
            blob = blob.encode()
        return self._decode(blob) if blob else None

    async def peek(self, key: ReportKey) -> FetchedReport | None:
        try:
            return await self._get(key.redis_key())
        except Exception as exc:  # noqa: BLE001 - any Redis failure degrades
            log.warning("Redis unavailable (%s); reading without the cache", type(exc).__name__)
            return None

    async def get_or_fetch(
        self, key: ReportKey, loader: Loader, *, refresh: bool = False
    ) -> FetchedReport:
        name = key.redis_key()
        return await self._flight.run(
            f"{name}:{int(refresh)}", lambda: self._shared(name, loader, refresh)
        )

    async def _shared(self, name: str, loader: Loader, refresh: bool) -> FetchedReport:
        try:
            if not refresh:
                hit = await self._get(name)
                if hit is not None:
                    metrics.cache_event("hit")
                    return hit
            token = uuid.uuid4().hex
            lock = f"{name}:lock"
            got = await self._redis.set(lock, token, nx=True, px=int(self.lock_timeout * 1000))
            if not got and not refresh:
                waited = await self._wait_for(name)
                if waited is not None:
                    metrics.cache_event("join")  # another replica fetched it
                    return waited
        except Exception as exc:  # noqa: BLE001 - Redis trouble must not fail a lookup
            log.warning("Redis unavailable (%s); fetching directly", type(exc).__name__)
            metrics.cache_event("miss")
            return await loader()
        metrics.cache_event("miss")
        report = await loader()
        try:
            await self._redis.set(name, self._encode(report), ex=self.ttl)
            if got:
                await self._redis.eval(_UNLOCK, 1, lock, token)
        except Exception as exc:  # noqa: BLE001
            log.warning("Redis unavailable (%s); report not shared", type(exc).__name__)
        return report

    async def _wait_for(self, name: str) -> FetchedReport | None:
        deadline = time.monotonic() + self.lock_timeout
        while time.monotonic() < deadline:
            await asyncio.sleep(self.wait_poll)
            hit = await self._get(name)
            if hit is not None:
                return hit
            if not await self._redis.exists(f"{name}:lock"):
                return await self._get(name)
        return None

    async def aclose(self) -> None:
        await self._redis.aclose()


#: Release the lock only if we still hold it.
_UNLOCK = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class RedisRecentLookups:
    """Each user's last lookups in a capped Redis list (kept 30 days)."""

    KEEP_SECONDS = 30 * 24 * 3600

    def __init__(self, url: str, cap: int = 10) -> None:
        import redis.asyncio as aioredis

        self.cap = cap
        self._redis = aioredis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)

    @staticmethod
    def _key(team_id: str, user_id: str) -> str:
        return f"peer-report:v1:recent:{team_id}:{user_id}"

    async def add(self, team_id: str, user_id: str, entry: dict[str, str]) -> None:
        key = self._key(team_id, user_id)
        current = await self.list(team_id, user_id, limit=self.cap)
        same = (entry.get("app_id"), entry.get("peer_id"))
        kept = [e for e in current if (e.get("app_id"), e.get("peer_id")) != same]
        items = [json.dumps(e) for e in [dict(entry), *kept][: self.cap]]
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.rpush(key, *items)
            pipe.expire(key, self.KEEP_SECONDS)
            await pipe.execute()

    async def list(self, team_id: str, user_id: str, limit: int = 10) -> list[dict[str, str]]:
        try:
            raw = await self._redis.lrange(self._key(team_id, user_id), 0, limit - 1)
        except Exception as exc:  # noqa: BLE001
            log.warning("Redis unavailable (%s); no recent lookups", type(exc).__name__)
            return []
        return [json.loads(item) for item in raw]


def make_cache(settings: Settings) -> ReportCache:
    """Redis when PEER_REPORT_CACHE_URL is set, else in memory."""
    if settings.cache_url:
        return RedisReportCache(settings.cache_url, settings.cache_ttl)
    return MemoryReportCache(ttl=settings.cache_ttl)


def make_recent(settings: Settings) -> RecentLookups:
    if settings.cache_url:
        return RedisRecentLookups(settings.cache_url)
    return MemoryRecentLookups()
