"""/peer-report end to end: signed requests to the real server, real Bolt, fake edges."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from bot.samples import load_sample_bytes
from tests.slack.conftest import BOT_TOKEN, CF_TOKEN, Bot, check_payload, wait_until
from tests.slack.fakes import APP, mrkdwn_texts

PEERS = {
    "mobile-loss": "a3c5e7f9-1b2d-4f6a-8c0e-2d4f6a8c0e1b",
    "hostile": "f7a9b1c3-5e6f-4a81-9c2d-d4e5f6a7b8c9",
    "healthy": "79d87ca5-7e47-452a-b3c1-b6842ad84bf5",
}


def with_reports(bot: Bot) -> Bot:
    for name, peer in PEERS.items():
        bot.cloudflare.add_report(peer, load_sample_bytes(name))
    return bot


def responses(bot: Bot, count: int) -> list[dict[str, Any]]:
    calls = bot.slack.wait_for("response_url", count)
    return [c.params for c in calls]


def test_help_is_ephemeral_and_immediate(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    started = time.monotonic()
    response = bot.command("help")
    assert response.status_code == 200
    assert time.monotonic() - started < 3  # Slack's ack deadline
    body = response.json()
    assert body["response_type"] == "ephemeral"
    assert "/peer-report" in json.dumps(body)
    assert check_payload(body) == []
    assert bot.cloudflare.calls() == []


def test_summary_card_is_posted_in_channel_and_the_note_replaced(
    make_bot: Callable[..., Bot],
) -> None:
    bot = with_reports(make_bot())
    response = bot.command(f"{APP} {PEERS['mobile-loss']}")
    assert response.status_code == 200
    ack = response.json()
    assert ack["response_type"] == "ephemeral" and "Fetching" in ack["text"]
    card, note = responses(bot, 2)
    assert card["response_type"] == "in_channel"
    assert check_payload({"text": card["text"], "blocks": card["blocks"]}) == []
    text = json.dumps(card)
    assert "Linus on the train" in text and "Poor" in text
    actions = next(b for b in card["blocks"] if b["type"] == "actions")["elements"]
    ids = {e["action_id"] for e in actions}
    assert {
        "peer_report.events",
        "peer_report.pairs",
        "peer_report.quality",
        "peer_report.device",
        "peer_report.raw",
        "peer_report.refresh",
    } <= ids
    value = json.loads(actions[0]["value"])
    assert value == {"a": APP, "p": PEERS["mobile-loss"]}
    assert note["replace_original"] is True and note["response_type"] == "ephemeral"
    assert "Posted 1 peer report" in note["text"]
    (call,) = bot.cloudflare.calls()
    assert call.params["path"].endswith(
        f"/realtime/kit/{APP}/sessions/peer-report/{PEERS['mobile-loss']}"
    )
    assert call.params["include_peer_events"] == "true"


def test_alias_and_default_app_forms(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    assert bot.command(f"prod/{PEERS['healthy']}").status_code == 200
    responses(bot, 2)
    bot.slack.clear()
    assert bot.command(PEERS["healthy"]).status_code == 200
    card = responses(bot, 2)[0]
    assert "Ada Lovelace" in json.dumps(card)


def test_several_peers_get_one_card_each(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.command(f"{APP} {PEERS['healthy']} {PEERS['mobile-loss']}")
    posted = responses(bot, 3)
    cards = [p for p in posted if p.get("response_type") == "in_channel"]
    assert len(cards) == 2
    assert "Posted 2 peer reports" in posted[-1]["text"]


def test_more_peers_than_the_cap_are_listed(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    peers = [f"79d87ca5-7e47-452a-b3c1-{i:012x}" for i in range(7)]
    for peer in peers:
        bot.cloudflare.add_report(peer, load_sample_bytes("healthy"))
    bot.command(f"{APP} " + " ".join(peers))
    posted = responses(bot, 6)
    assert sum(1 for p in posted if p.get("response_type") == "in_channel") == 5
    note = posted[-1]
    assert "2 more peers" in note["text"]
    assert peers[5] in json.dumps(note) and peers[6] in json.dumps(note)


@pytest.mark.parametrize(
    ("text", "token"),
    [
        (f"{APP}/../{PEERS['healthy']}", ".."),
        ("%2F" + PEERS["healthy"], "%2F"),
        (f"{APP} 79d87ca5-7e47-452a-b3c1-b6842ad84bf5?x=1", "?x=1"),
        (f"{APP} 79d87ca5#frag", "#"),
        ("79d87ca5-7e47-452a-b3c1-b6842ad84bf5" + "f" * 20, "79d87ca5"),
        ("nosuchapp 79d87ca5-7e47-452a-b3c1-b6842ad84bf5", "nosuchapp"),
        ("79d87са5-7e47-452a-b3c1-b6842ad84bf5", "79d87"),  # Cyrillic look-alike
    ],
)
def test_bad_ids_are_explained_and_never_fetched(
    make_bot: Callable[..., Bot], text: str, token: str
) -> None:
    bot = make_bot()
    response = bot.command(text)
    assert response.status_code == 200
    body = response.json()
    assert body["response_type"] == "ephemeral"
    assert token in body["text"] or token in json.dumps(body, ensure_ascii=False)
    assert check_payload(body) == []
    time.sleep(0.2)
    assert bot.cloudflare.calls() == []
    assert bot.slack.calls("response_url") == []


def test_hostile_display_name_pings_nobody(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.command(f"{APP} {PEERS['hostile']}")
    card = responses(bot, 2)[0]
    assert check_payload({"text": card["text"], "blocks": card["blocks"]}) == []
    for text in [card["text"], *mrkdwn_texts(card["blocks"])]:
        assert "<!" not in text and "<@" not in text and "<#" not in text
        assert "<https://evil" not in text
    assert "&lt;!channel&gt;" in json.dumps(card)


@pytest.mark.parametrize(
    ("status", "body", "sentence"),
    [
        (403, {"success": False, "errors": [{"code": 10000, "message": "Forbidden"}]}, "Realtime"),
        (404, {"success": False, "error": {"code": 404, "message": "No user found"}}, "No peer"),
        (401, {"message": "Unauthorized"}, "did not accept the API token"),
        (400, {"success": False, "error": {"code": 400, "message": "bad GUID"}}, "malformed"),
        (500, {"success": False}, "internal error"),
        (429, {"success": False}, "rate limit"),
    ],
)
def test_upstream_failures_replace_the_fetching_note(
    make_bot: Callable[..., Bot], status: int, body: Any, sentence: str
) -> None:
    bot = make_bot()
    bot.cloudflare.fail_next(status, body, headers={"Retry-After": "600"}, times=5)
    bot.command(f"{APP} {PEERS['healthy']}")
    (note,) = responses(bot, 1)
    assert note["replace_original"] is True
    assert sentence in json.dumps(note)
    assert "Traceback" not in json.dumps(note)
    assert CF_TOKEN not in json.dumps(note) and BOT_TOKEN not in json.dumps(note)
    assert check_payload({"text": note["text"], "blocks": note["blocks"]}) == []


def test_empty_command_opens_the_lookup_modal(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    assert bot.command("").status_code == 200
    (call,) = bot.slack.wait_for("views.open")
    view = call.params["view"]
    assert view["callback_id"] == "peer_report_lookup"
    assert call.params["trigger_id"] == "trig-1"
    assert check_payload(view) == []


def test_lookup_modal_validates_inline_then_shows_the_card(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())

    def submit(peer: str) -> Any:
        return bot.interaction(
            {
                "type": "view_submission",
                "team": {"id": "T0001"},
                "user": {"id": "U0USER", "team_id": "T0001"},
                "api_app_id": "A0001",
                "trigger_id": "trig-v",
                "view": {
                    "id": "V123",
                    "type": "modal",
                    "callback_id": "peer_report_lookup",
                    "private_metadata": "C0CHAN",
                    "state": {
                        "values": {
                            "lookup_app": {
                                "app": {
                                    "type": "static_select",
                                    "selected_option": {"value": "prod"},
                                }
                            },
                            "lookup_peer": {"peer": {"type": "plain_text_input", "value": peer}},
                        }
                    },
                },
            }
        )

    bad = submit("not-a-peer")
    assert bad.status_code == 200
    assert bad.json()["response_action"] == "errors"
    assert "not-a-peer" in bad.json()["errors"]["lookup_peer"]
    good = submit(PEERS["healthy"])
    assert good.json()["response_action"] == "update"
    (update,) = bot.slack.wait_for("views.update")
    assert update.params["view_id"] == "V123"
    assert "Ada Lovelace" in json.dumps(update.params["view"])
    assert check_payload(update.params["view"]) == []


def test_requests_with_bad_signatures_are_refused(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    body = "command=%2Fpeer-report&text=help&team_id=T0001&user_id=U1&channel_id=C1"
    kind = "application/x-www-form-urlencoded"
    assert (
        bot.http.post(
            f"{bot.url}/slack/events", content=body, headers={"Content-Type": kind}
        ).status_code
        == 401
    )
    assert bot.post(body, kind, secret="wrong-secret").status_code == 401
    assert bot.post(body, kind, ts=int(time.time()) - 6 * 60).status_code == 401
    assert bot.post(body, kind).status_code == 200


def test_healthz(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    response = bot.http.get(f"{bot.url}/healthz")
    assert response.status_code == 200 and response.json()["ok"] is True


def test_expired_response_url_falls_back_to_post_ephemeral(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    bot.slack.fail_next("response_url", "expired_url", status=404, times=5)
    bot.cloudflare.fail_next(404, {"success": False, "error": {"code": 404, "message": "x"}})
    bot.command(f"{APP} {PEERS['healthy']}")
    (call,) = bot.slack.wait_for("chat.postEphemeral")
    assert call.params["user"] == "U0USER" and call.params["channel"] == "C0CHAN"
    assert "No peer" in json.dumps(call.params)


def test_slow_upstream_never_delays_acks(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.cloudflare.delay = 2.0
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        started = time.monotonic()
        results = list(
            pool.map(
                lambda i: bot.command(f"{APP} {PEERS['healthy']}", response=f"r{i}"), range(20)
            )
        )
        elapsed = time.monotonic() - started
    assert all(r.status_code == 200 for r in results)
    assert elapsed < 3  # every ack inside Slack's deadline although each lookup takes 2 s
    wait_until(lambda: len(bot.slack.calls("response_url")) >= 40, timeout=20)
