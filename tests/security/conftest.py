"""The end-to-end harness of tests/slack (real server on loopback, fake Slack and Cloudflare),
plus spies that count what an attack reached."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_bolt.async_app import AsyncApp

from tests.slack.conftest import fake_cloudflare, fake_slack, make_bot  # noqa: F401


class Dispatches:
    """How many requests reached Bolt's dispatch (and so could reach a listener)."""

    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def dispatches(monkeypatch: pytest.MonkeyPatch) -> Iterator[Dispatches]:
    counter = Dispatches()
    original = AsyncApp.async_dispatch

    async def counting(self: AsyncApp, req: object) -> object:
        counter.count += 1
        return await original(self, req)  # type: ignore[arg-type]

    monkeypatch.setattr(AsyncApp, "async_dispatch", counting)
    yield counter
