"""The loopback Slack harness of tests/slack, with a fake Cloudflare that serves sessions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.slack.conftest import CF_TOKEN, fake_slack, make_bot
from tests.triage.helpers import SessionCloudflare

__all__ = ["fake_cloudflare", "fake_slack", "make_bot"]


@pytest.fixture
def session_data() -> dict[str, Any]:
    """The session the fake Cloudflare serves; test modules override it."""
    from bot.samples.sessions.scenarios import WAR_ROOM, build_session

    return build_session(WAR_ROOM)


@pytest.fixture
def fake_cloudflare(session_data: dict[str, Any]) -> Iterator[SessionCloudflare]:
    fake = SessionCloudflare(CF_TOKEN, session_data)
    yield fake
    fake.close()
