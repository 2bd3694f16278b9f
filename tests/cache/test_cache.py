"""The report cache: TTL, single-flight, Redis sharing across replicas, graceful degradation."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cache import (
    MemoryRecentLookups,
    MemoryReportCache,
    RedisRecentLookups,
    RedisReportCache,
    ReportKey,
    make_cache,
)
from bot.config import Settings
from bot.realtimekit.client import FetchedReport
from bot.realtimekit.models import parse_participant
from tests.conftest import RedisProcess

PEER = "79d87ca5-7e47-452a-b3c1-b6842ad84bf5"
APP = "14a396e7-ca44-4937-bf1f-050a69118543"
KEY = ReportKey("023e105f4ecef8ad9ca31a8372d0c353", APP, PEER, (), True)
RAW = json.dumps(
    {"success": True, "data": {"participant": {"id": PEER, "display_name": "Ada"}}}
).encode()


class Upstream:
    def __init__(self, delay: float = 0.05, fail: Exception | None = None) -> None:
        self.calls = 0
        self.delay = delay
        self.fail = fail

    async def __call__(self) -> FetchedReport:
        self.calls += 1
        await asyncio.sleep(self.delay)
        if self.fail is not None:
            raise self.fail
        return FetchedReport(parse_participant(RAW), RAW, datetime.now(UTC), APP, PEER)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_memory_single_flight_100_lookups_one_upstream_call() -> None:
    cache, upstream = MemoryReportCache(ttl=60), Upstream()
    results = await asyncio.gather(*(cache.get_or_fetch(KEY, upstream) for _ in range(100)))
    assert upstream.calls == 1
    assert {r.participant.display_name for r in results} == {"Ada"}


async def test_memory_ttl_expiry_and_refresh() -> None:
    clock = Clock()
    cache, upstream = MemoryReportCache(ttl=60, timer=clock), Upstream(delay=0)
    await cache.get_or_fetch(KEY, upstream)
    clock.now = 59
    await cache.get_or_fetch(KEY, upstream)
    assert upstream.calls == 1
    assert await cache.peek(KEY) is not None
    clock.now = 61
    assert await cache.peek(KEY) is None
    await cache.get_or_fetch(KEY, upstream)
    assert upstream.calls == 2
    await cache.get_or_fetch(KEY, upstream, refresh=True)
    assert upstream.calls == 3


async def test_memory_errors_reach_every_waiter_and_are_not_cached() -> None:
    cache, upstream = MemoryReportCache(ttl=60), Upstream(fail=RuntimeError("boom"))
    results = await asyncio.gather(
        *(cache.get_or_fetch(KEY, upstream) for _ in range(10)), return_exceptions=True
    )
    assert upstream.calls == 1
    assert all(isinstance(r, RuntimeError) for r in results)
    assert await cache.peek(KEY) is None
    upstream.fail = None
    assert (await cache.get_or_fetch(KEY, upstream)).peer_id == PEER


async def test_redis_two_replicas_100_lookups_one_upstream_call(redis_url: str) -> None:
    upstream = Upstream(delay=0.2)
    replicas = [RedisReportCache(redis_url, ttl=60), RedisReportCache(redis_url, ttl=60)]
    try:
        results = await asyncio.gather(
            *(replicas[i % 2].get_or_fetch(KEY, upstream) for i in range(100))
        )
        assert upstream.calls == 1
        assert {r.participant.display_name for r in results} == {"Ada"}
        assert (await replicas[1].peek(KEY)) is not None
    finally:
        for replica in replicas:
            await replica.aclose()


async def test_redis_sets_the_ttl_and_refresh_bypasses(redis_url: str) -> None:
    import redis.asyncio as aioredis

    upstream = Upstream(delay=0)
    cache = RedisReportCache(redis_url, ttl=42)
    client = aioredis.from_url(redis_url)
    try:
        await cache.get_or_fetch(KEY, upstream)
        assert 0 < await client.ttl(KEY.redis_key()) <= 42
        await cache.get_or_fetch(KEY, upstream)
        assert upstream.calls == 1
        await cache.get_or_fetch(KEY, upstream, refresh=True)
        assert upstream.calls == 2
    finally:
        await cache.aclose()
        await client.aclose()


async def test_redis_down_degrades_to_direct_fetches(caplog: pytest.LogCaptureFixture) -> None:
    from tests.conftest import free_port

    cache = RedisReportCache(f"redis://127.0.0.1:{free_port()}/0", ttl=60, socket_timeout=0.5)
    upstream = Upstream(delay=0)
    with caplog.at_level(logging.WARNING, logger="bot.cache"):
        report = await cache.get_or_fetch(KEY, upstream)
    assert report.peer_id == PEER and upstream.calls == 1
    assert any("Redis unavailable" in r.getMessage() for r in caplog.records)
    assert "Ada" not in caplog.text
    await cache.aclose()


async def test_redis_killed_mid_way_still_answers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server = RedisProcess(tmp_path)
    server.start()
    cache = RedisReportCache(server.url, ttl=60, socket_timeout=0.5)
    upstream = Upstream(delay=0)
    try:
        await cache.get_or_fetch(KEY, upstream)
        server.stop()
        with caplog.at_level(logging.WARNING, logger="bot.cache"):
            report = await cache.get_or_fetch(KEY, upstream, refresh=True)
        assert report.peer_id == PEER
        assert any("Redis unavailable" in r.getMessage() for r in caplog.records)
    finally:
        server.stop()
        await cache.aclose()


@pytest.mark.parametrize("backend", ["memory", "redis"])
async def test_recent_lookups_order_dedupe_and_cap(
    backend: str, request: pytest.FixtureRequest
) -> None:
    store = (
        MemoryRecentLookups()
        if backend == "memory"
        else RedisRecentLookups(request.getfixturevalue("redis_url"))
    )
    for i in range(12):
        await store.add("T1", "U1", {"app_id": APP, "peer_id": f"peer-{i}"})
    await store.add("T1", "U1", {"app_id": APP, "peer_id": "peer-5", "verdict": "again"})
    items = await store.list("T1", "U1")
    assert len(items) == 10
    assert items[0] == {"app_id": APP, "peer_id": "peer-5", "verdict": "again"}
    assert [i["peer_id"] for i in items].count("peer-5") == 1
    assert items[1]["peer_id"] == "peer-11"
    assert await store.list("T1", "U2") == []


def test_make_cache_picks_the_backend(redis_url: str) -> None:
    assert isinstance(make_cache(Settings(_env_file=None)), MemoryReportCache)
    assert isinstance(make_cache(Settings(_env_file=None, cache_url=redis_url)), RedisReportCache)
