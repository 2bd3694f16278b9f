"""Throttles for clicks that cost a Cloudflare request (Refresh, drill-downs).

* Per peer: one refetch per peer per ``PEER_REPORT_REFRESH_INTERVAL`` seconds (default 10).
* Per user: at most ``PEER_REPORT_USER_REFRESH_LIMIT`` refreshes a minute (default 6), and
  ``DRILL_PER_MINUTE`` drill-down clicks a minute.
* Budget: when less than :data:`LOW_BUDGET_SHARE` of the token's request budget is left,
  refreshes pause (cached reports still open) and the user is told why.

Each check returns ``None`` (go ahead) or the sentence to show, ephemeral, to the clicker.
State is kept in this process (each replica throttles its own clicks; the budget is per token
per process).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:  # imported on the ack path: no pydantic-settings at import
    from bot.config import Settings
    from bot.service import ReportSource

DRILL_PER_MINUTE: Final = 20
LOW_BUDGET_SHARE: Final = 0.1


def _secs(value: float) -> int:
    return max(1, math.ceil(value))


class Throttle:
    def __init__(self, settings: Settings, timer: Callable[[], float] = time.monotonic) -> None:
        self.interval = settings.refresh_interval
        self.per_user = settings.user_refresh_limit
        self._timer = timer
        self._last_refresh: dict[str, float] = {}
        self._clicks: dict[str, deque[float]] = {}

    def _window(self, key: str, limit: int, window: float) -> float | None:
        """Seconds to wait before ``key`` may act again, or None (and the act is counted)."""
        now = self._timer()
        times = self._clicks.setdefault(key, deque())
        while times and now - times[0] >= window:
            times.popleft()
        if len(times) >= limit:
            return window - (now - times[0])
        times.append(now)
        return None

    def refresh(self, user: str | None, peer_key: str) -> str | None:
        """May ``user`` refetch this peer now?"""
        now = self._timer()
        last = self._last_refresh.get(peer_key)
        if last is not None and now - last < self.interval:
            ago = now - last
            return (
                f"This report was refreshed {int(ago)} s ago — try again in "
                f"{_secs(self.interval - ago)} s."
            )
        wait = self._window(f"refresh:{user}", self.per_user, 60.0)
        if wait is not None:
            return (
                f"You have refreshed {self.per_user} times in the last minute — try again in "
                f"{_secs(wait)} s."
            )
        self._last_refresh[peer_key] = now
        if len(self._last_refresh) > 10_000:
            cutoff = now - self.interval
            self._last_refresh = {k: t for k, t in self._last_refresh.items() if t >= cutoff}
        return None

    def drill(self, user: str | None) -> str | None:
        wait = self._window(f"drill:{user}", DRILL_PER_MINUTE, 60.0)
        if wait is None:
            return None
        return (
            f"You have opened {DRILL_PER_MINUTE} views in the last minute — try again in "
            f"{_secs(wait)} s."
        )


def budget_left(source: ReportSource) -> int | None:
    """Cloudflare requests this process may still send in the current 5-minute window.

    ``None`` when the source has no budget (demo data, files). Multi-workspace sources report
    the smallest budget left among their tokens.
    """
    client = getattr(source, "client", None)
    budget = getattr(client, "budget", None)
    if budget is not None:
        return int(budget.remaining)
    clients = getattr(source, "_clients", None)
    if isinstance(clients, dict) and clients:
        left = [int(c.budget.remaining) for _, c in clients.values() if hasattr(c, "budget")]
        return min(left) if left else None
    return None


def saving_budget(source: ReportSource, settings: Settings) -> str | None:
    """The sentence to show when refreshes pause to keep lookups possible for everyone."""
    left = budget_left(source)
    if left is None or left >= settings.cloudflare_budget * LOW_BUDGET_SHARE:
        return None
    return (
        f"The bot is saving its Cloudflare request budget ({left} of "
        f"{settings.cloudflare_budget:,} requests left for the next few minutes), so Refresh is "
        "paused. The card shows the last report fetched; new lookups still work."
    )
