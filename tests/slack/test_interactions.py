"""Shortcuts, card buttons, unfurls, App Home and access control, end to end."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

import pytest

from bot.render.actions import encode_value
from bot.samples import load_sample_bytes
from tests.slack.conftest import BOT_TOKEN, CF_TOKEN, Bot, check_payload, wait_until
from tests.slack.fakes import APP, mrkdwn_texts
from tests.slack.test_commands import PEERS, responses, with_reports

MESSAGE_TS = "1700000000.000100"


def shortcut(bot: Bot, message: dict[str, Any], *, user_team: str = "T0001") -> Any:
    return bot.interaction(
        {
            "type": "message_action",
            "callback_id": "peer_report_message",
            "team": {"id": "T0001", "domain": "acme"},
            "user": {"id": "U0USER", "team_id": user_team, "name": "sam"},
            "channel": {"id": "C0CHAN", "name": "support"},
            "message": {"type": "message", "ts": MESSAGE_TS, "user": "U0CUST", **message},
            "response_url": bot.slack.response_url("shortcut"),
            "trigger_id": "trig-s",
            "api_app_id": "A0001",
        }
    )


def test_message_shortcut_replies_in_the_thread_one_card_per_peer(
    make_bot: Callable[..., Bot],
) -> None:
    bot = with_reports(make_bot())
    text = (
        f"Customer says audio died. peer {PEERS['mobile-loss']} and see "
        f"<https://api.cloudflare.com/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/realtime/kit/{APP}/sessions/peer-report/{PEERS['healthy']}|this>"
    )
    assert shortcut(bot, {"text": text}).status_code == 200
    posts = bot.slack.wait_for("chat.postMessage", 2)
    assert all(p.params["thread_ts"] == MESSAGE_TS for p in posts)
    assert all(p.params["channel"] == "C0CHAN" for p in posts)
    names = [json.dumps(p.params["blocks"]) for p in posts]
    assert "Linus on the train" in names[0] and "Ada Lovelace" in names[1]
    for post in posts:
        assert check_payload({"text": post.params["text"], "blocks": post.params["blocks"]}) == []
    assert post.headers["authorization"] == f"Bearer {BOT_TOKEN}"


def test_message_shortcut_reads_blocks_and_attachments(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    message = {
        "text": "",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"peer {PEERS['healthy']}"}}
        ],
        "attachments": [{"fallback": f"other peer {PEERS['mobile-loss']}"}],
    }
    shortcut(bot, message)
    posts = bot.slack.wait_for("chat.postMessage", 2)
    assert len(posts) == 2


def test_message_shortcut_inside_a_thread_answers_in_that_thread(
    make_bot: Callable[..., Bot],
) -> None:
    bot = with_reports(make_bot())
    shortcut(bot, {"text": f"peer {PEERS['healthy']}", "thread_ts": "1690000000.000001"})
    (post,) = bot.slack.wait_for("chat.postMessage")
    assert post.params["thread_ts"] == "1690000000.000001"


def test_message_shortcut_without_peers_explains(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    shortcut(bot, {"text": "the call was bad, please help"})
    (reply,) = responses(bot, 1)
    assert "found no peer" in reply["text"].lower() or "No peer" in reply["text"]
    assert bot.cloudflare.calls() == []
    assert bot.slack.calls("chat.postMessage") == []


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
def test_message_shortcut_where_the_bot_cannot_post(
    make_bot: Callable[..., Bot], error: str
) -> None:
    bot = with_reports(make_bot())
    bot.slack.fail_next("chat.postMessage", error, times=3)
    shortcut(bot, {"text": f"peer {PEERS['healthy']}"})
    wait_until(
        lambda: any("/invite" in json.dumps(c.params) for c in bot.slack.calls("response_url"))
    )


def test_refresh_refetches_and_updates_the_card_in_place(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.command(f"{APP} {PEERS['healthy']}")
    responses(bot, 2)
    assert len(bot.cloudflare.calls()) == 1
    bot.click("peer_report.refresh", encode_value(APP, PEERS["healthy"]), ts="1700000005.000200")
    (update,) = bot.slack.wait_for("chat.update")
    assert update.params["ts"] == "1700000005.000200" and update.params["channel"] == "C0CHAN"
    assert check_payload({"text": update.params["text"], "blocks": update.params["blocks"]}) == []
    assert len(bot.cloudflare.calls()) == 2  # refresh bypassed the cache


def test_refresh_of_an_ephemeral_card_uses_the_response_url(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.click("peer_report.refresh", encode_value(APP, PEERS["healthy"]), ephemeral=True)
    (reply,) = responses(bot, 1)
    assert reply["replace_original"] is True
    assert bot.slack.calls("chat.update") == []


def test_msg_too_long_falls_back_to_a_smaller_card(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.slack.fail_next("chat.update", "msg_too_long")
    bot.click("peer_report.refresh", encode_value(APP, PEERS["healthy"]))
    first, second = bot.slack.wait_for("chat.update", 2)
    assert len(second.params["blocks"]) < len(first.params["blocks"])
    assert "shortened" in json.dumps(second.params["blocks"])


def test_invalid_blocks_twice_falls_back_to_text(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.slack.fail_next("chat.update", "invalid_blocks", times=2)
    bot.click("peer_report.refresh", encode_value(APP, PEERS["healthy"]))
    calls = bot.slack.wait_for("chat.update", 3)
    assert "blocks" not in calls[2].params and "Ada Lovelace" in calls[2].params["text"]


def test_tampered_button_values_are_refused(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    bot.click("peer_report.refresh", json.dumps({"a": "../../x", "p": PEERS["healthy"]}))
    (reply,) = responses(bot, 1)
    assert "not valid" in reply["text"]
    assert bot.cloudflare.calls() == []


def test_rate_limited_slack_is_retried(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.slack.fail_next("chat.update", "ratelimited", status=429, headers={"Retry-After": "1"})
    bot.click("peer_report.refresh", encode_value(APP, PEERS["healthy"]))
    calls = bot.slack.wait_for("chat.update", 2)
    assert calls[1].params["blocks"]


def test_external_slack_connect_users_are_refused(
    make_bot: Callable[..., Bot], caplog: pytest.LogCaptureFixture
) -> None:
    bot = with_reports(make_bot())
    with caplog.at_level(logging.WARNING, logger="bot.slack"):
        bot.click("peer_report.refresh", encode_value(APP, PEERS["healthy"]), user_team="TOTHERORG")
        (reply,) = responses(bot, 1)
    assert "other organisations" in reply["text"]
    assert bot.cloudflare.calls() == []
    assert any("U0USER" in r.getMessage() for r in caplog.records)


def test_user_allowlist(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot(allowed_users="U0BOSS"))
    response = bot.command(f"{APP} {PEERS['healthy']}")
    assert "not on this app's list" in response.json()["text"]
    time.sleep(0.2)
    assert bot.cloudflare.calls() == []


def test_channel_allowlist(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot(allowed_channels="C0WARROOM"))
    assert "not enabled in this channel" in bot.command(f"{APP} {PEERS['healthy']}").json()["text"]
    assert (
        "Fetching" in bot.command(f"{APP} {PEERS['healthy']}", channel="C0WARROOM").json()["text"]
    )


def test_link_unfurl_is_compact_and_button_free(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    url = (
        "https://api.cloudflare.com/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353"
        f"/realtime/kit/{APP}/sessions/peer-report/{PEERS['hostile']}"
    )
    response = bot.event(
        {
            "type": "link_shared",
            "channel": "C0CHAN",
            "user": "U0USER",
            "message_ts": "1700000000.1",
            "links": [{"domain": "api.cloudflare.com", "url": url}],
        }
    )
    assert response.status_code == 200
    (call,) = bot.slack.wait_for("chat.unfurl")
    unfurl = call.params["unfurls"][url]
    assert check_payload(unfurl["blocks"]) == []
    assert "actions" not in {b["type"] for b in unfurl["blocks"]}
    for text in mrkdwn_texts(unfurl):
        assert "<!" not in text and "<@" not in text
    assert "203.0.113.7" not in json.dumps(unfurl)


def test_app_home_lists_recent_lookups_and_setup_status(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.cloudflare.add_report(
        "00000000-0000-4000-8000-000000000000", b""
    )  # placeholder, removed below
    del bot.cloudflare.reports["00000000-0000-4000-8000-000000000000"]
    bot.command(f"{APP} {PEERS['healthy']}")
    responses(bot, 2)
    bot.event({"type": "app_home_opened", "user": "U0USER", "tab": "home", "channel": "D0"})
    (publish,) = bot.slack.wait_for("views.publish")
    view = publish.params["view"]
    assert publish.params["user_id"] == "U0USER"
    text = json.dumps(view)
    assert PEERS["healthy"] in text and "Ada Lovelace" in text
    assert "can read peer reports" in text  # the live probe got a 404 for the nil peer
    assert check_payload(view) == []


def test_app_home_explains_a_missing_permission(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    bot.cloudflare.fail_next(
        403, {"success": False, "errors": [{"code": 10000, "message": "Forbidden"}]}
    )
    bot.event({"type": "app_home_opened", "user": "U0USER", "tab": "home"})
    (publish,) = bot.slack.wait_for("views.publish")
    assert "Realtime Admin" in json.dumps(publish.params["view"])


def test_secrets_never_reach_slack(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.cloudflare.fail_next(401, {"message": "Unauthorized"})
    bot.command(f"{APP} {PEERS['healthy']}")
    bot.command(f"{APP} {PEERS['mobile-loss']}", response="two")
    wait_until(lambda: len(bot.slack.calls("response_url")) >= 3)
    for call in bot.slack.calls():
        assert CF_TOKEN.encode() not in call.body
        assert BOT_TOKEN.encode() not in call.body


def test_demo_mode_answers_without_cloudflare(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(demo=True, cloudflare_api_token=None)
    bot.command(f"{APP} 12345678-1234-4234-8234-123456789abc")
    card = responses(bot, 2)[0]
    assert card["response_type"] == "in_channel" and card["blocks"]
    assert bot.cloudflare.calls() == []
    _ = load_sample_bytes


def test_redis_cache_is_shared_by_card_and_drilldowns(
    make_bot: Callable[..., Bot], redis_url: str
) -> None:
    bot = with_reports(make_bot(cache_url=redis_url))
    bot.command(f"{APP} {PEERS['healthy']}")
    responses(bot, 2)
    bot.click("peer_report.quality", encode_value(APP, PEERS["healthy"]))
    bot.slack.wait_for("views.update")
    assert len(bot.cloudflare.calls()) == 1
    bot.click("peer_report.refresh", encode_value(APP, PEERS["healthy"]))
    bot.slack.wait_for("chat.update")
    assert len(bot.cloudflare.calls()) == 2
