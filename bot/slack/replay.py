"""Replay protection: each verified request is handled once within Slack's 5-minute window.

A request is remembered by its signature and timestamp (the pair Slack signs) for
:data:`~bot.slack.gate.WINDOW_SECONDS` plus a margin; the same pair again is a replay. Events
API retries (``X-Slack-Retry-Num``) carry a new signature, so they are also remembered by their
``event_id``: a retry of an event already handled is acknowledged and dropped.

The memory is the cache backend: in process by default, Redis when ``PEER_REPORT_CACHE_URL``
is set so that every replica shares it (``SET key 1 NX EX``). If Redis is unreachable the
in-process memory keeps working and a WARNING is logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

from cachetools import TTLCache

from bot.config import Settings
from bot.slack.gate import WINDOW_SECONDS

log = logging.getLogger("bot.slack.replay")

#: How long a request is remembered: the window either side of now, plus clock skew.
REMEMBER_SECONDS = 2 * WINDOW_SECONDS + 30


class SeenStore(Protocol):
    async def first_time(self, key: str) -> bool:
        """True the first time ``key`` is offered within the window, False afterwards."""
        ...

    async def aclose(self) -> None: ...


class MemorySeen:
    def __init__(
        self,
        ttl: float = REMEMBER_SECONDS,
        maxsize: int = 200_000,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._seen: TTLCache[str, bool] = TTLCache(maxsize=maxsize, ttl=ttl, timer=timer)

    async def first_time(self, key: str) -> bool:
        if key in self._seen:
            return False
        self._seen[key] = True
        return True

    async def aclose(self) -> None:
        self._seen.clear()


class RedisSeen:
    """Shared by replicas: the first ``SET NX`` wins; Redis trouble falls back to memory."""

    def __init__(self, url: str, ttl: int = REMEMBER_SECONDS) -> None:
        import redis.asyncio as aioredis

        self.ttl = ttl
        self._redis = aioredis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        self._fallback = MemorySeen(ttl)

    async def first_time(self, key: str) -> bool:
        local = await self._fallback.first_time(key)
        try:
            won = await self._redis.set(f"peer-report:v1:seen:{key}", b"1", nx=True, ex=self.ttl)
        except Exception as exc:  # noqa: BLE001 - Redis trouble must not stop the bot
            log.warning("Redis unavailable (%s); replay check in memory only", type(exc).__name__)
            return local
        return bool(won) and local

    async def aclose(self) -> None:
        await self._redis.aclose()


def make_seen(settings: Settings) -> SeenStore:
    if settings.cache_url:
        return RedisSeen(settings.cache_url)
    return MemorySeen()


def request_key(timestamp: str, signature: str) -> str:
    return f"req:{timestamp.strip()}:{signature.strip()}"


def event_key(event_id: str) -> str:
    return f"event:{event_id}"
