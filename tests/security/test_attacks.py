"""The second-pass attacks, through the real server on loopback, each with a counted outcome."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.render.actions import LOOKUP_APP_BLOCK, LOOKUP_MODAL, LOOKUP_PEER_BLOCK, encode_value
from bot.samples import load_sample_bytes
from tests.security.conftest import Dispatches
from tests.slack.conftest import Bot, sign, wait_until
from tests.slack.fakes import APP

PEER = "79d87ca5-7e47-452a-b3c1-b6842ad84bf5"
IP = "203.0.113.7"
CITY = "Berlin"


def with_report(bot: Bot, body: bytes | None = None) -> Bot:
    bot.cloudflare.add_report(PEER, body if body is not None else load_sample_bytes("healthy"))
    return bot


def leaky_report() -> bytes:
    """The healthy sample with the IP and city where the field-name masker never looked."""
    data = json.loads(load_sample_bytes("healthy"))
    metadata = data["data"]["participant"]["peer_report"]["metadata"]
    metadata["events"].append(
        {
            "name": "network_changed",
            "timestamp": "2026-11-24T14:05:00.000Z",
            "metadata": {"from": IP, "where": f"{CITY}, DE", "note": f"seen {IP}:50000"},
        }
    )
    metadata["precall_network_information"] = {"public": {"ip": IP, "city": CITY}}
    metadata["device_info"]["x_hostname"] = f"laptop-{IP}"
    return json.dumps(data).encode()


def slack_text(bot: Bot) -> str:
    """Every byte the bot sent to Slack (Web API calls, response URLs, file uploads)."""
    parts = []
    for call in bot.slack.calls():
        parts.append(json.dumps(call.params, ensure_ascii=False))
        parts.append(call.body.decode("utf-8", "replace"))
    return "\n".join(parts)


def send_signed(bot: Bot, body: str, content_type: str, headers: dict[str, str]) -> Any:
    return bot.http.post(
        f"{bot.url}/slack/events",
        content=body,
        headers={"Content-Type": content_type, **headers},
    )


# --- 3. masking by value, end to end ----------------------------------------------------------


def test_no_ip_or_city_reaches_any_slack_call(make_bot: Callable[..., Bot]) -> None:
    bot = with_report(make_bot(), leaky_report())
    bot.command(f"{APP} {PEER}")
    bot.slack.wait_for("response_url", 2)
    for action in ("events", "pairs", "quality", "device"):
        bot.click(f"peer_report.{action}", encode_value(APP, PEER))
    bot.slack.wait_for("views.update", 4)
    bot.click("peer_report.raw", encode_value(APP, PEER), ts="1700000009.000900")
    bot.slack.wait_for("upload")
    url = f"https://api.cloudflare.com/client/v4/accounts/x/realtime/kit/{APP}/sessions/peer-report/{PEER}"
    bot.event(
        {
            "type": "link_shared",
            "channel": "C0CHAN",
            "user": "U0USER",
            "message_ts": "1700000000.1",
            "links": [{"domain": "api.cloudflare.com", "url": url}],
        }
    )
    bot.slack.wait_for("chat.unfurl")
    sent = slack_text(bot)
    calls = len(bot.slack.calls())
    assert calls >= 10
    assert sent.count(IP) == 0, "participant IP leaked"
    assert sent.count(CITY) == 0, "participant city leaked"
    assert "203.0.113.x" in sent  # masked, not dropped
    (upload,) = bot.slack.calls("upload")
    assert b"_note" in upload.body and b"masked" in upload.body


# --- 4. replays --------------------------------------------------------------------------------


def test_a_replayed_slash_command_posts_one_card(
    make_bot: Callable[..., Bot], dispatches: Dispatches
) -> None:
    bot = with_report(make_bot())
    body = urlencode(
        {
            "team_id": "T0001",
            "channel_id": "C0CHAN",
            "user_id": "U0USER",
            "command": "/peer-report",
            "text": f"{APP} {PEER}",
            "response_url": bot.slack.response_url("cmd"),
            "trigger_id": "trig-replay",
        }
    )
    headers = sign(body)
    statuses = [
        send_signed(bot, body, "application/x-www-form-urlencoded", headers).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 200]
    bot.slack.wait_for("response_url", 2)
    time.sleep(0.5)
    cards = [
        c for c in bot.slack.calls("response_url") if c.params.get("response_type") == "in_channel"
    ]
    assert len(cards) == 1
    assert dispatches.count == 1
    assert len(bot.cloudflare.calls()) == 1


def test_a_replayed_refresh_click_makes_one_cloudflare_call(make_bot: Callable[..., Bot]) -> None:
    bot = with_report(make_bot())
    payload = {
        "type": "block_actions",
        "team": {"id": "T0001"},
        "user": {"id": "U0USER", "team_id": "T0001"},
        "trigger_id": "trig-r",
        "response_url": bot.slack.response_url("click"),
        "container": {"type": "message", "message_ts": "1.1", "channel_id": "C0CHAN"},
        "channel": {"id": "C0CHAN"},
        "message": {"ts": "1.1"},
        "actions": [
            {"action_id": "peer_report.refresh", "value": encode_value(APP, PEER), "type": "button"}
        ],
    }
    body = urlencode({"payload": json.dumps(payload)})
    headers = sign(body)
    for _ in range(5):
        assert (
            send_signed(bot, body, "application/x-www-form-urlencoded", headers).status_code == 200
        )
    bot.slack.wait_for("chat.update")
    time.sleep(0.5)
    assert len(bot.cloudflare.calls()) == 1
    assert len(bot.slack.calls("chat.update")) == 1


def test_slack_event_retries_are_acknowledged_without_repeating_work(
    make_bot: Callable[..., Bot], dispatches: Dispatches
) -> None:
    bot = with_report(make_bot())
    url = f"https://api.cloudflare.com/client/v4/accounts/x/realtime/kit/{APP}/sessions/peer-report/{PEER}"
    event = {
        "type": "event_callback",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "event_id": "Ev0RETRY1",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": "T0001", "user_id": "U0BOT", "is_bot": True}],
        "event": {
            "type": "link_shared",
            "channel": "C0CHAN",
            "user": "U0USER",
            "message_ts": "1700000000.1",
            "links": [{"domain": "api.cloudflare.com", "url": url}],
        },
    }
    for retry in range(3):
        body = json.dumps({**event, "x": retry})  # each delivery is signed afresh
        headers = sign(body)
        if retry:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        assert send_signed(bot, body, "application/json", headers).status_code == 200
    bot.slack.wait_for("chat.unfurl")
    time.sleep(0.5)
    assert len(bot.slack.calls("chat.unfurl")) == 1
    assert dispatches.count == 1


def test_replays_are_shared_through_redis(
    make_bot: Callable[..., Bot], redis_url: str, dispatches: Dispatches
) -> None:
    first = make_bot(cache_url=redis_url)
    second = make_bot(cache_url=redis_url)
    body = urlencode(
        {
            "team_id": "T0001",
            "user_id": "U0USER",
            "command": "/peer-report",
            "text": "help",
            "channel_id": "C0CHAN",
        }
    )
    headers = sign(body)
    assert send_signed(first, body, "application/x-www-form-urlencoded", headers).status_code == 200
    replay = send_signed(second, body, "application/x-www-form-urlencoded", headers)
    assert replay.status_code == 200 and replay.content == b""
    assert dispatches.count == 1


# --- 5. throttles and budget ------------------------------------------------------------------


def test_a_refresh_burst_costs_one_cloudflare_call_per_peer_per_interval(
    make_bot: Callable[..., Bot],
) -> None:
    bot = with_report(make_bot())
    for n in range(30):
        bot.click("peer_report.refresh", encode_value(APP, PEER), ts=f"1700000001.{n:06d}")
    wait_until(
        lambda: len(bot.slack.calls("chat.update")) + len(bot.slack.calls("response_url")) >= 30
    )
    assert len(bot.cloudflare.calls()) == 1
    notes = [json.dumps(c.params) for c in bot.slack.calls("response_url")]
    assert len(notes) == 29
    assert all("refreshed" in n and "try again in" in n for n in notes)
    assert all(json.loads(n)["response_type"] == "ephemeral" for n in notes)


def test_a_user_cannot_refresh_many_peers_in_a_burst(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(user_refresh_limit=3)
    peers = [f"79d87ca5-7e47-452a-b3c1-b6842ad84b{n:02d}" for n in range(8)]
    for peer in peers:
        bot.cloudflare.add_report(peer, load_sample_bytes("healthy"))
        bot.click("peer_report.refresh", encode_value(APP, peer))
    wait_until(lambda: len(bot.slack.calls("response_url")) >= 5)
    time.sleep(0.5)
    assert len(bot.cloudflare.calls()) == 3
    assert all("last minute" in json.dumps(c.params) for c in bot.slack.calls("response_url"))


def test_the_budget_guard_stops_fetching_and_says_so(make_bot: Callable[..., Bot]) -> None:
    bot = with_report(make_bot(cloudflare_budget=2))
    peers = [f"79d87ca5-7e47-452a-b3c1-b6842ad84b{n:02d}" for n in range(4)]
    for peer in peers:
        bot.cloudflare.add_report(peer, load_sample_bytes("healthy"))
        bot.command(f"{APP} {peer}", response=peer)

    def saving() -> int:
        said = [json.dumps(c.params) for c in bot.slack.calls("response_url")]
        return sum("saving its Cloudflare request budget" in text for text in said)

    wait_until(lambda: saving() >= 2)
    time.sleep(0.3)
    assert len(bot.cloudflare.calls()) == 2
    assert saving() == 2
    from bot.slack.throttle import budget_left

    assert budget_left(bot.services.source) == 0


# --- 6. size cap -------------------------------------------------------------------------------


def test_an_oversized_answer_gets_the_too_large_sentence(make_bot: Callable[..., Bot]) -> None:
    bot = with_report(make_bot(max_response_bytes=200_000))
    data = json.loads(load_sample_bytes("healthy"))
    data["data"]["participant"]["padding"] = "x" * 1_000_000
    bot.cloudflare.add_report(PEER, json.dumps(data).encode())
    bot.command(f"{APP} {PEER}")
    wait_until(lambda: "too large" in slack_text(bot))
    text = slack_text(bot)
    assert "too large" in text and "PEER_REPORT_MAX_RESPONSE_BYTES" in text
    assert len(bot.cloudflare.calls()) == 1  # not retried


# --- 7. access on every entry point -----------------------------------------------------------


def lookup_submission(bot: Bot, channel: str, user: str = "U0USER") -> Any:
    return bot.interaction(
        {
            "type": "view_submission",
            "team": {"id": "T0001"},
            "user": {"id": user, "team_id": "T0001"},
            "api_app_id": "A0001",
            "trigger_id": "trig-v",
            "view": {
                "id": "V0LOOKUP",
                "type": "modal",
                "callback_id": LOOKUP_MODAL,
                "private_metadata": channel,
                "state": {
                    "values": {
                        LOOKUP_APP_BLOCK: {"a": {"type": "plain_text_input", "value": APP}},
                        LOOKUP_PEER_BLOCK: {"p": {"type": "plain_text_input", "value": PEER}},
                    }
                },
            },
        }
    )


def test_the_lookup_modal_checks_access(make_bot: Callable[..., Bot]) -> None:
    bot = with_report(make_bot(allowed_channels="C0OK", allowed_users="U0USER"))
    refused = lookup_submission(bot, "C0SECRET")
    assert refused.status_code == 200
    answer = refused.json()
    assert answer["response_action"] == "update"
    assert "not enabled in this channel" in json.dumps(answer)
    outsider = lookup_submission(bot, "C0OK", user="U0MALLORY")
    assert "allowed users" in json.dumps(outsider.json())
    time.sleep(0.5)
    assert bot.cloudflare.calls() == []


def test_the_lookup_modal_never_shows_full_ips_from_private_metadata(
    make_bot: Callable[..., Bot],
) -> None:
    bot = with_report(make_bot(show_ip_in="C0SECURE"))
    lookup_submission(bot, "C0SECURE")
    (update,) = bot.slack.wait_for("views.update")
    assert IP not in json.dumps(update.params)


def test_a_channel_in_a_modal_button_is_checked_and_never_unmasks(
    make_bot: Callable[..., Bot],
) -> None:
    bot = with_report(make_bot(allowed_channels="C0OK,C0SECURE", show_ip_in="C0SECURE"))
    view = {"id": "V0MODAL", "type": "modal"}
    bot.click("peer_report.raw", encode_value(APP, PEER, c="C0ELSEWHERE"), view=view)
    (notice,) = bot.slack.wait_for("views.push")
    assert "not enabled in this channel" in json.dumps(notice.params)
    assert bot.slack.calls("files.getUploadURLExternal") == []
    bot.click("peer_report.raw", encode_value(APP, PEER, c="C0SECURE"), view=view)
    (upload,) = bot.slack.wait_for("upload")
    assert IP.encode() not in upload.body  # carried channel: allowed, but masked


def test_a_refusal_inside_a_modal_reaches_the_user(make_bot: Callable[..., Bot]) -> None:
    bot = with_report(make_bot(allowed_users="U0SOMEONE"))
    bot.click("peer_report.device", encode_value(APP, PEER), view={"id": "V0MODAL"})
    (notice,) = bot.slack.wait_for("views.push")
    assert "allowed users" in json.dumps(notice.params)


def test_missing_chart_extra_names_the_extra(
    make_bot: Callable[..., Bot], monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = with_report(make_bot())
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if the extra were not installed
    bot.click("peer_report.chart", encode_value(APP, PEER))
    (reply,) = bot.slack.wait_for("response_url")
    assert "peer-report[chart]" in json.dumps(reply.params)


def test_a_drilldown_burst_is_throttled_per_user(make_bot: Callable[..., Bot]) -> None:
    from bot.slack.throttle import DRILL_PER_MINUTE

    bot = with_report(make_bot())
    clicks = DRILL_PER_MINUTE + 5
    for n in range(clicks):
        bot.click("peer_report.quality", encode_value(APP, PEER), ts=f"1700000002.{n:06d}")
    wait_until(
        lambda: len(bot.slack.calls("views.open")) + len(bot.slack.calls("response_url")) >= clicks
    )
    assert len(bot.slack.calls("views.open")) == DRILL_PER_MINUTE
    refusals = [json.dumps(c.params) for c in bot.slack.calls("response_url")]
    assert len(refusals) == 5 and all("try again in" in r for r in refusals)
    assert len(bot.cloudflare.calls()) == 1  # the views share one cached report
