"""Fixtures for end-to-end Slack tests: fakes on loopback and the real bot in HTTP mode."""

from __future__ import annotations

import importlib.util
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import uvicorn
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.slack.server import build, create_asgi
from bot.slack.services import Services
from tests.slack.fakes import ACCOUNT, APP, FakeCloudflare, FakeSlack

SECRET = "test-signing-secret-0123456789"
CF_TOKEN = "cf-e2e-token-RECOGNISABLE-4242"
BOT_TOKEN = "xoxb-e2e-RECOGNISABLE-4242"

_spec = importlib.util.spec_from_file_location(
    "blockkit_check", Path(__file__).resolve().parents[1] / "_vendor" / "blockkit_check.py"
)
assert _spec and _spec.loader
blockkit_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(blockkit_check)


def check_payload(payload: Any) -> list[str]:
    return list(blockkit_check.check(payload, forbid_broadcast=True))


def sign(body: str, *, secret: str = SECRET, ts: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if ts is None else ts)
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(
            timestamp=stamp, body=body
        ),
    }


@dataclass
class Bot:
    """The running bot and helpers that send what Slack sends."""

    url: str
    slack: FakeSlack
    cloudflare: FakeCloudflare
    services: Services
    http: httpx.Client

    def post(self, body: str, content_type: str, **sign_kw: Any) -> httpx.Response:
        headers = {"Content-Type": content_type, **sign(body, **sign_kw)}
        return self.http.post(f"{self.url}/slack/events", content=body, headers=headers)

    def command(
        self,
        text: str,
        *,
        user: str = "U0USER",
        channel: str = "C0CHAN",
        team: str = "T0001",
        response: str = "cmd",
        **extra: str,
    ) -> httpx.Response:
        body = urlencode(
            {
                "token": "legacy",
                "team_id": team,
                "team_domain": "acme",
                "channel_id": channel,
                "channel_name": "war-room",
                "user_id": user,
                "user_name": "sam",
                "command": "/peer-report",
                "text": text,
                "api_app_id": "A0001",
                "response_url": self.slack.response_url(response),
                "trigger_id": "trig-1",
                **extra,
            }
        )
        return self.post(body, "application/x-www-form-urlencoded")

    def interaction(self, payload: dict[str, Any], **sign_kw: Any) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded", **sign_kw)

    def event(self, event: dict[str, Any]) -> httpx.Response:
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": "T0001",
                "api_app_id": "A0001",
                "type": "event_callback",
                "event": event,
                "event_id": f"Ev{time.monotonic_ns()}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": "T0001", "user_id": "U0BOT", "is_bot": True}],
            }
        )
        return self.post(body, "application/json")

    def click(
        self,
        action_id: str,
        value: str,
        *,
        channel: str = "C0CHAN",
        ts: str = "1700000001.000100",
        user_team: str = "T0001",
        view: dict[str, Any] | None = None,
        thread_ts: str | None = None,
        ephemeral: bool = False,
    ) -> httpx.Response:
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": "T0001", "domain": "acme"},
            "user": {"id": "U0USER", "team_id": user_team, "name": "sam"},
            "api_app_id": "A0001",
            "trigger_id": "trig-click",
            "response_url": self.slack.response_url("click"),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "pr-actions",
                    "value": value,
                    "action_ts": "1.0",
                }
            ],
        }
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view["id"]}
            payload["view"] = view
        else:
            message: dict[str, Any] = {"ts": ts, "type": "message", "text": "card"}
            if thread_ts:
                message["thread_ts"] = thread_ts
            payload["container"] = {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            }
            payload["channel"] = {"id": channel, "name": "war-room"}
            payload["message"] = message
        return self.interaction(payload)


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def fake_cloudflare() -> Iterator[FakeCloudflare]:
    fake = FakeCloudflare(CF_TOKEN)
    yield fake
    fake.close()


def make_settings(slack: FakeSlack, cloudflare: FakeCloudflare, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SECRET,
        "slack_api_url": slack.url,
        "cloudflare_api_token": CF_TOKEN,
        "cloudflare_account_id": ACCOUNT,
        "cloudflare_api_base_url": cloudflare.base_url,
        "realtimekit_app_id": APP,
        "realtimekit_apps": {"prod": APP},
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def make_bot(
    fake_slack: FakeSlack, fake_cloudflare: FakeCloudflare, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Bot]]:
    import os

    for name in list(os.environ):
        if name.startswith(("SLACK_", "CLOUDFLARE_", "REALTIMEKIT_", "PEER_REPORT_")):
            monkeypatch.delenv(name)
    running: list[tuple[uvicorn.Server, threading.Thread, httpx.Client]] = []

    def start(demo: bool = False, **overrides: Any) -> Bot:
        settings = make_settings(fake_slack, fake_cloudflare, **overrides)
        app, services = build(settings, demo=demo)
        server = uvicorn.Server(
            uvicorn.Config(
                create_asgi(app, services),
                host="127.0.0.1",
                port=0,
                log_level="warning",
                lifespan="on",
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        wait_until(lambda: server.started and bool(server.servers))
        port = server.servers[0].sockets[0].getsockname()[1]
        client = httpx.Client(timeout=15)
        running.append((server, thread, client))
        return Bot(f"http://127.0.0.1:{port}", fake_slack, fake_cloudflare, services, client)

    yield start
    for server, thread, client in running:
        client.close()
        server.should_exit = True
        thread.join(15)
