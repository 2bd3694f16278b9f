"""Measure 3: 100 concurrent identical lookups cost how many upstream requests?"""

from __future__ import annotations

import asyncio
import json

import httpx
from pydantic import SecretStr

from benchmarks.common import Result, redis_server
from bot.cache import MemoryReportCache, ReportCache
from bot.realtimekit.client import RealtimeKitClient
from bot.service import LiveSource

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
APP = "14a396e7-ca44-4937-bf1f-050a69118543"
PEER = "79d87ca5-7e47-452a-b3c1-b6842ad84bf5"
BODY = json.dumps({"success": True, "data": {"participant": {"id": PEER}}}).encode()
LOOKUPS = 100


class CountingUpstream:
    """An httpx transport standing in for Cloudflare: slow (200 ms) and counting."""

    def __init__(self) -> None:
        self.requests = 0

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        await asyncio.sleep(0.2)
        return httpx.Response(200, content=BODY)


def source(upstream: CountingUpstream, cache: ReportCache) -> LiveSource:
    client = RealtimeKitClient(
        account_id=ACCOUNT,
        api_token=SecretStr("bench"),
        base_url="https://api.invalid/client/v4",
        http=httpx.AsyncClient(transport=httpx.MockTransport(upstream.handle)),
    )
    return LiveSource(client, cache)


async def lookups(sources: list[LiveSource]) -> None:
    await asyncio.gather(*(sources[i % len(sources)].fetch(APP, PEER) for i in range(LOOKUPS)))


async def memory() -> int:
    upstream = CountingUpstream()
    await lookups([source(upstream, MemoryReportCache(ttl=60))])
    return upstream.requests


async def redis(url: str) -> int:
    from bot.cache import RedisReportCache

    upstream = CountingUpstream()
    replicas = [source(upstream, RedisReportCache(url, ttl=60)) for _ in range(2)]
    try:
        await lookups(replicas)
    finally:
        for replica in replicas:
            await replica.cache.aclose()
    return upstream.requests


def run() -> list[Result]:
    results = []
    count = asyncio.run(memory())
    results.append(
        Result(
            f"{LOOKUPS} concurrent identical lookups, in-memory cache",
            count,
            "requests",
            "1",
            count == 1,
        )
    )
    with redis_server() as url:
        if url is None:
            results.append(
                Result(
                    "same, Redis shared by 2 replicas",
                    float("nan"),
                    "requests",
                    "1",
                    False,
                    "redis-server not installed (make bench installs it)",
                )
            )
        else:
            count = asyncio.run(redis(url))
            results.append(
                Result(
                    f"{LOOKUPS} concurrent identical lookups, Redis shared by 2 replicas",
                    count,
                    "requests",
                    "1",
                    count == 1,
                )
            )
    return results
