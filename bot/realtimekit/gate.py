"""One shared pause for everything a client sends, when Cloudflare answers 429.

Installed as httpx event hooks on the client's connection pool, so it sees every request,
retries included: after a 429 with ``Retry-After`` no request starts until that time has
passed, and several 429s inside one window cost one wait (``pauses`` counts the windows).
It also counts the requests that started, so a batch can keep to a request budget.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx


class RateGate:
    """The earliest moment the next request may start, shared by every caller."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._until = 0.0
        #: Distinct pause windows opened by 429 answers.
        self.pauses = 0
        #: Requests that have started through this gate.
        self.requests = 0

    def remaining(self) -> float:
        """Seconds until requests may start again (0 when not paused)."""
        return max(0.0, self._until - self._clock())

    def pause(self, seconds: float) -> None:
        """Hold every request for ``seconds`` from now; a longer existing pause wins."""
        now = self._clock()
        if self._until <= now:
            self.pauses += 1
        self._until = max(self._until, now + max(0.0, seconds))

    async def before(self, request: httpx.Request) -> None:
        """httpx request hook: wait out a pause, then count the request."""
        while (delay := self._until - self._clock()) > 0:
            await asyncio.sleep(delay)
        self.requests += 1

    async def after(self, response: httpx.Response) -> None:
        """httpx response hook: a 429 with ``Retry-After`` opens (or extends) the pause."""
        if response.status_code != 429:
            return
        header = response.headers.get("retry-after")
        try:
            seconds = float(header) if header else None
        except ValueError:
            seconds = None
        if seconds is not None:
            self.pause(seconds)

    def install(self, http: httpx.AsyncClient) -> None:
        hooks = http.event_hooks
        hooks.setdefault("request", []).append(self.before)
        hooks.setdefault("response", []).append(self.after)
        http.event_hooks = hooks
