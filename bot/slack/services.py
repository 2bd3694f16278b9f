"""What the listeners need, built once per process and passed in (no module-level state)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.cache import RecentLookups
from bot.service import ReportSource
from bot.slack.membership import Membership

if TYPE_CHECKING:
    from bot.config import Settings


class InFlight:
    """Counts lookups in progress so shutdown can drain them (bounded)."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def count(self) -> int:
        return self._count

    @contextlib.asynccontextmanager
    async def track(self) -> AsyncIterator[None]:
        self._count += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._count -= 1
            if self._count == 0:
                self._idle.set()

    async def drain(self, timeout: float) -> bool:
        """Wait until nothing is in flight; False when ``timeout`` passed first."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True


@dataclass
class Services:
    settings: Settings
    source: ReportSource
    recent: RecentLookups
    demo: bool = False
    inflight: InFlight = field(default_factory=InFlight)
    members: Membership = field(default_factory=Membership)

    def default_app(self, team_id: str | None) -> str | None:
        """The app a bare peer ID belongs to: the workspace's own in multi-workspace mode."""
        store = getattr(self.source, "store", None)
        if store is not None and team_id:
            try:
                credentials = store.load(team_id)
            except Exception:  # noqa: BLE001 - undecryptable credentials are reported on lookup
                credentials = None
            if credentials is not None and credentials.default_app:
                return str(credentials.default_app)
        return self.settings.realtimekit_app_id

    def show_ip_in(self, channel_id: str | None) -> bool:
        """Full IP/city only in channels listed in PEER_REPORT_SHOW_IP_IN."""
        return bool(channel_id) and channel_id in self.settings.show_ip_in
