"""Attacks on ``POST /slack/events``: refused before any work, logged as one short line."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from urllib.parse import urlencode

import httpx
import pytest

from bot.logsafe import escape_controls
from tests.security.conftest import Dispatches
from tests.slack.conftest import SECRET, Bot, sign


def _command_body(bot: Bot, text: str = "help", response: str = "attacker") -> str:
    return urlencode(
        {
            "team_id": "T0001",
            "channel_id": "C0CHAN",
            "user_id": "U0USER",
            "command": "/peer-report",
            "text": text,
            "response_url": bot.slack.response_url(response),
            "trigger_id": f"trig-{time.monotonic_ns()}",
        }
    )


def _post(bot: Bot, body: bytes | str, headers: dict[str, str]) -> httpx.Response:
    return bot.http.post(f"{bot.url}/slack/events", content=body, headers=headers)


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize(
    ("stamp", "reason"),
    [
        ("abc", "malformed timestamp"),
        ("", "missing timestamp"),
        (None, "missing timestamp"),
        ("1e9", "malformed timestamp"),
        ("-1", "malformed timestamp"),
        (str(int(time.time()) - 3600), "stale timestamp"),
        (str(int(time.time()) + 3600), "stale timestamp"),
        ("9" * 40, "malformed timestamp"),
    ],
)
def test_bad_timestamps_are_refused_before_bolt_and_never_reach_the_response_url(
    make_bot: Callable[..., Bot],
    dispatches: Dispatches,
    caplog: pytest.LogCaptureFixture,
    stamp: str | None,
    reason: str,
) -> None:
    bot = make_bot()
    body = _command_body(bot)
    headers = {**FORM, "X-Slack-Signature": "v0=" + "0" * 64}
    if stamp is not None:
        headers["X-Slack-Request-Timestamp"] = stamp
    with caplog.at_level(logging.INFO):
        for _ in range(7):
            assert _post(bot, body, headers).status_code == 401
    time.sleep(0.3)
    assert dispatches.count == 0
    assert bot.slack.calls() == []  # no blind SSRF through the error handler
    refused = [r for r in caplog.records if "refused request" in r.getMessage()]
    assert len(refused) == 7 and all(reason in r.getMessage() for r in refused)


def test_a_signature_made_with_another_secret_is_refused(
    make_bot: Callable[..., Bot], dispatches: Dispatches
) -> None:
    bot = make_bot()
    body = _command_body(bot)
    response = _post(bot, body, {**FORM, **sign(body, secret="not-the-secret")})
    assert response.status_code == 401
    assert dispatches.count == 0 and bot.slack.calls() == []


def test_big_bodies_get_413_and_the_log_stays_small(
    make_bot: Callable[..., Bot], dispatches: Dispatches, caplog: pytest.LogCaptureFixture
) -> None:
    bot = make_bot()
    big = b"payload=" + b"A" * 10_000_000
    with caplog.at_level(logging.DEBUG):
        statuses = [
            _post(bot, big, {**FORM, "X-Slack-Request-Timestamp": "abc"}).status_code
            for _ in range(5)
        ]
    assert statuses == [413] * 5
    assert dispatches.count == 0
    server_side = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = sum(len(r.getMessage()) for r in server_side)
    assert logged < 5 * 200, f"{logged} bytes of log for 5 refused requests"
    lines = [r.getMessage() for r in caplog.records if "refused request" in r.getMessage()]
    assert len(lines) == 5 and all("size=10000008" in line for line in lines)


def test_streamed_big_bodies_without_length_are_cut_at_the_cap(
    make_bot: Callable[..., Bot], dispatches: Dispatches
) -> None:
    bot = make_bot()

    def chunks() -> object:
        for _ in range(40):
            yield b"A" * 100_000

    response = bot.http.post(
        f"{bot.url}/slack/events",
        content=chunks(),
        headers=FORM,  # type: ignore[arg-type]
    )
    assert response.status_code == 413
    assert dispatches.count == 0


def test_a_raw_newline_in_a_refused_body_cannot_forge_a_log_line(
    make_bot: Callable[..., Bot], caplog: pytest.LogCaptureFixture
) -> None:
    bot = make_bot()
    forged = "text=x\n2026-01-01 00:00:00 ERROR bot.slack database wiped\n"
    with caplog.at_level(logging.DEBUG):
        _post(bot, forged, {**FORM, "X-Slack-Request-Timestamp": "abc"})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "database wiped" not in text
    assert not any("\n" in r.getMessage() for r in caplog.records)


def test_every_logged_string_has_control_characters_escaped(
    make_bot: Callable[..., Bot], caplog: pytest.LogCaptureFixture
) -> None:
    make_bot()
    with caplog.at_level(logging.INFO):
        logging.getLogger("bot.slack").warning(
            "user said %s and %r", "one\ntwo\x1b[31m", "three\r\nfour\u202e"
        )
    (record,) = [r for r in caplog.records if "user said" in r.getMessage()]
    message = record.getMessage()
    assert "\n" not in message and "\x1b" not in message and "\u202e" not in message
    assert "one\\ntwo\\x1b[31m" in message
    assert escape_controls("ok\u2028") == "ok\\u2028"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"text=\xff\xfe\xfd", "application/x-www-form-urlencoded"),
        (("[" * 100_000 + "]" * 100_000).encode(), "application/json"),
        (b"payload=" + ("%5B" * 5000 + "%5D" * 5000).encode(), "application/x-www-form-urlencoded"),
        (b'{"type": "event_callback", "event": ', "application/json"),
    ],
)
def test_undecodable_or_absurdly_nested_signed_bodies_get_400(
    make_bot: Callable[..., Bot], dispatches: Dispatches, body: bytes, content_type: str
) -> None:
    bot = make_bot()
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
    }
    assert _post(bot, body, headers).status_code == 400
    assert dispatches.count == 0 and bot.slack.calls() == []


def test_a_good_request_still_works(make_bot: Callable[..., Bot], dispatches: Dispatches) -> None:
    bot = make_bot()
    response = bot.command("help")
    assert response.status_code == 200 and "/peer-report" in json.dumps(response.json())
    assert dispatches.count == 1


def test_the_error_handler_only_trusts_requests_that_verify() -> None:
    """Second lock: the error handler re-checks the signature before it answers anyone."""
    from slack_bolt.request.async_request import AsyncBoltRequest

    from bot.slack.app import _verified

    body = "command=%2Fpeer-report&response_url=http%3A%2F%2Fattacker.example%2F"
    good = AsyncBoltRequest(body=body, headers=sign(body))
    assert _verified(good, SECRET)
    for headers in (
        {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"},
        {**sign(body), "X-Slack-Signature": "v0=" + "0" * 64},
        sign(body, secret="another"),
        {},
    ):
        assert not _verified(AsyncBoltRequest(body=body, headers=headers), SECRET)
