"""Whole-call triage end to end in Slack: the real bot over loopback, fake Slack and Cloudflare."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from bot.render.session import OPEN_PEER, SESSION_ACTION, session_value
from bot.samples.sessions.scenarios import build_session
from bot.slack.listeners import session as session_listener
from tests.slack.conftest import Bot, check_payload, wait_until
from tests.triage.helpers import APP, paths, pid, scenario

CALL = scenario("slack", 6, uplink={2: 8.0}, downlink={5: 10.0})
DATA = build_session(CALL)
SESSION = CALL.session_id


@pytest.fixture
def session_data() -> dict[str, Any]:
    return DATA


def notes(bot: Bot) -> list[dict[str, Any]]:
    return [c.params for c in bot.slack.calls("response_url")]


def card_in(bot: Bot) -> dict[str, Any]:
    wait_until(lambda: any(n.get("response_type") == "in_channel" for n in notes(bot)))
    return next(n for n in notes(bot) if n.get("response_type") == "in_channel")


def test_session_command_posts_the_card_with_progress_then_a_confirmation(
    make_bot: Callable[..., Bot], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session_listener, "PROGRESS_INTERVAL", 0.25)
    bot = make_bot()
    bot.cloudflare.delay = 0.05
    ack = bot.command(f"session {APP} {SESSION}").json()
    assert ack["response_type"] == "ephemeral" and "Triaging session" in ack["text"]
    card = card_in(bot)
    wait_until(lambda: any("Posted the whole-call card" in n.get("text", "") for n in notes(bot)))
    calls = bot.slack.calls("response_url")
    progress = [c for c in calls if " of 6 reports" in str(c.params.get("text"))]
    for call in progress:
        assert call.params["replace_original"] is True
        assert call.params["response_type"] == "ephemeral"
    # Never more often than the interval. Measured where the updates arrive, one HTTP hop
    # later, so single gaps jitter under load: bound the rate over the whole run instead.
    span = calls[-1].at - calls[0].at
    assert len(progress) <= span / 0.25 + 2
    done = calls[-1].params
    assert done["replace_original"] is True and "Posted the whole-call card" in done["text"]
    payload = {"text": card["text"], "blocks": card["blocks"]}
    assert check_payload(payload) == []
    text = json.dumps(card, ensure_ascii=False)
    assert "Test call slack" in text and "whole call" in text
    assert "P2's upload" in text and "P5's download" in text
    assert "🔴 2" in text
    assert sum("/peer-report/" in p for p in paths(bot.cloudflare)) == 6


def test_progress_note_shows_reports_done(
    make_bot: Callable[..., Bot], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session_listener, "PROGRESS_INTERVAL", 0.0)
    bot = make_bot()
    bot.command(f"{APP} session {SESSION}")
    card_in(bot)
    wait_until(lambda: any("Posted the whole-call card" in n.get("text", "") for n in notes(bot)))
    seen = [n["text"] for n in notes(bot) if " of 6 reports" in n.get("text", "")]
    assert seen, "no progress note"
    counts = [int(re.findall(r"(\d+) of 6 reports", t)[0]) for t in seen]
    assert counts == sorted(counts) and max(counts) < 6


def test_open_peer_posts_that_peers_card_in_the_thread(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    bot.command(f"session {APP} {SESSION}")
    card = card_in(bot)
    buttons = [b["accessory"] for b in card["blocks"] if "accessory" in b]
    assert buttons and all(b["action_id"] == OPEN_PEER for b in buttons)
    first = json.loads(buttons[0]["value"])
    assert first["a"] == APP and first["p"] in {pid(2), pid(5)}
    bot.click(OPEN_PEER, buttons[0]["value"], ts="1700000099.000100")
    (post,) = bot.slack.wait_for("chat.postMessage")
    assert post.params["thread_ts"] == "1700000099.000100"
    assert post.params["channel"] == "C0CHAN"
    blocks = post.params["blocks"]
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["text"].endswith(("P2", "P5"))
    assert check_payload({"text": post.params["text"], "blocks": blocks}) == []


def test_whole_call_button_produces_the_session_card(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    bot.click(SESSION_ACTION, session_value(APP, SESSION), ts="1700000042.000100")
    (post,) = bot.slack.wait_for("chat.postMessage", timeout=20)
    assert post.params["thread_ts"] == "1700000042.000100"
    blocks = post.params["blocks"]
    assert blocks[0]["text"]["text"].endswith("whole call")
    assert check_payload({"text": post.params["text"], "blocks": blocks}) == []


def test_bad_session_id_is_refused_without_a_request(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    body = bot.command("session 1234-not-a-session").json()
    assert body["response_type"] == "ephemeral"
    assert "not a session ID" in body["text"]
    bad = bot.click(SESSION_ACTION, json.dumps({"a": APP, "s": "../x"}))
    assert bad.status_code == 200
    wait_until(lambda: any("not valid" in n.get("text", "") for n in notes(bot)))
    assert bot.cloudflare.calls() == []


def test_unknown_session_says_so(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    bot.command(f"session {APP} 00000000-0000-4000-8000-000000000000")
    wait_until(lambda: any("No session" in n.get("text", "") for n in notes(bot)))
    assert not any(n.get("response_type") == "in_channel" for n in notes(bot))


def test_demo_mode_session_and_open_peer(make_bot: Callable[..., Bot]) -> None:
    from bot.samples.sessions import session_id_of

    bot = make_bot(demo=True)
    bot.command(f"session {APP} {session_id_of('war-room')}")
    card = card_in(bot)
    assert "Acme × Globex" in json.dumps(card, ensure_ascii=False)
    button = next(b["accessory"] for b in card["blocks"] if "accessory" in b)
    bot.click(OPEN_PEER, button["value"])
    (post,) = bot.slack.wait_for("chat.postMessage")
    name = json.loads(json.dumps(post.params["blocks"][0]))["text"]["text"]
    assert "Carol" in name or "Dave" in name
    assert bot.cloudflare.calls() == []


def test_open_peer_that_fails_answers_only_the_clicker(make_bot: Callable[..., Bot]) -> None:
    from bot.render.actions import encode_value

    bot = make_bot()
    missing = "0000abcd-0000-4000-8000-000000000000"
    bot.click(OPEN_PEER, encode_value(APP, missing), ts="1700000077.000100")
    wait_until(lambda: any(missing in n.get("text", "") for n in notes(bot)))
    note = next(n for n in notes(bot) if missing in n.get("text", ""))
    assert note["response_type"] == "ephemeral" and note["replace_original"] is False
    assert bot.slack.calls("chat.postMessage") == []


def test_whole_call_from_a_real_peer_card(make_bot: Callable[..., Bot]) -> None:
    """The button on the peer card itself (value ``{"a", "p", "s"}``) gives the session card."""
    bot = make_bot()
    bot.command(f"{APP} {pid(2)}")
    card = card_in(bot)
    buttons = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    whole = next(b for b in buttons if b["action_id"] == SESSION_ACTION)
    assert json.loads(whole["value"])["s"] == SESSION
    bot.click(SESSION_ACTION, whole["value"], ts="1700000043.000100")
    (post,) = bot.slack.wait_for("chat.postMessage", timeout=20)
    assert post.params["blocks"][0]["text"]["text"].endswith("whole call")
    assert "P2's upload" in json.dumps(post.params)
