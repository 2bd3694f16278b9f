"""Every button on the card does what its label says, end to end through the real server.

The fake Cloudflare answers for the *requested* peer with a report whose ``participant.id`` is
another ID (the API does not promise they are equal): every button must still ask for the
requested peer, and each must produce the Slack call it promises within a few seconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bot.render.actions import encode_value
from bot.samples import load_sample_bytes
from tests.slack.conftest import Bot, check_payload, wait_until
from tests.slack.fakes import APP
from tests.slack.test_drilldowns import add_busy_report

REQUESTED = "0d0d0d0d-1111-4222-8333-444455556666"
REPORT_ID = "a3c5e7f9-1b2d-4f6a-8c0e-2d4f6a8c0e1b"  # mobile-loss's participant.id
SPARSE = "5a5a5a5a-1111-4222-8333-444455556666"


def _bot(make_bot: Callable[..., Bot]) -> Bot:
    bot = make_bot()
    body = load_sample_bytes("mobile-loss")
    assert REPORT_ID.encode() in body and REQUESTED.encode() not in body
    bot.cloudflare.add_report(REQUESTED, body)
    bot.cloudflare.add_report(SPARSE, load_sample_bytes("sparse"))
    return bot


def _card(bot: Bot) -> dict[str, Any]:
    def posted() -> list[dict[str, Any]]:
        return [
            c.params
            for c in bot.slack.calls("response_url")
            if any(b.get("block_id") == "pr-actions" for b in c.params.get("blocks") or [])
        ]

    wait_until(lambda: bool(posted()))
    return posted()[0]


def _buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]


def _peer_paths(bot: Bot) -> set[str]:
    return {str(c.params["path"]).rstrip("/").rsplit("/", 1)[-1] for c in bot.cloudflare.calls()}


def test_every_button_asks_for_the_requested_peer_and_does_what_it_says(
    make_bot: Callable[..., Bot],
) -> None:
    bot = _bot(make_bot)
    bot.command(f"{APP} {REQUESTED}")
    card = _card(bot)
    assert check_payload({"text": card["text"], "blocks": card["blocks"]}) == []
    footer = card["blocks"][-1]["elements"][0]["text"]
    assert REQUESTED in footer
    assert f"participant ID `{REPORT_ID}`" in json.dumps(card, ensure_ascii=False)
    buttons = {b["action_id"]: b for b in _buttons(card)}
    for button in buttons.values():
        assert json.loads(button["value"])["p"] == REQUESTED
    # The worst area (network, for this report) is the primary drill-down, shown first.
    first = _buttons(card)[0]
    assert first.get("style") == "primary"

    promised = {
        "peer_report.events": "views.update",
        "peer_report.pairs": "views.update",
        "peer_report.quality": "views.update",
        "peer_report.device": "views.update",
        "peer_report.refresh": "chat.update",
        "peer_report.raw": "files.completeUploadExternal",
        "peer_report.chart": "files.completeUploadExternal",
    }
    for action_id, method in promised.items():
        assert action_id in buttons, action_id
        bot.slack.clear()
        bot.click(action_id, buttons[action_id]["value"], ts="1700000042.000100")
        (call,) = bot.slack.wait_for(method, timeout=30)
        text = json.dumps(call.params, ensure_ascii=False)
        assert "went wrong" not in text and "No user found" not in text, (action_id, text)
        if method == "views.update":
            assert check_payload(call.params["view"]) == []
        if method == "chat.update":
            assert REQUESTED in text
    # Cloudflare was only ever asked for the requested peer, never for the report's own ID.
    assert _peer_paths(bot) == {REQUESTED}


def test_raw_from_the_slash_command_really_uploads(make_bot: Callable[..., Bot]) -> None:
    bot = _bot(make_bot)
    bot.command(f"{APP} {REQUESTED} raw")
    (complete,) = bot.slack.wait_for("files.completeUploadExternal")
    assert complete.params.get("channel_id") == "C0CHAN"
    (upload,) = bot.slack.wait_for("upload")
    assert b"_note" in upload.body


def test_chart_without_quality_samples_explains_and_posts_nothing(
    make_bot: Callable[..., Bot],
) -> None:
    bot = _bot(make_bot)
    bot.click("peer_report.chart", encode_value(APP, SPARSE))
    (reply,) = bot.slack.wait_for("response_url")
    assert "nothing to chart" in json.dumps(reply.params)
    assert reply.params["response_type"] == "ephemeral"
    assert not bot.slack.calls("files.getUploadURLExternal")


def test_the_sparse_card_offers_no_chart(make_bot: Callable[..., Bot]) -> None:
    bot = _bot(make_bot)
    bot.command(f"{APP} {SPARSE}")
    ids = {b["action_id"] for b in _buttons(_card(bot))}
    assert "peer_report.chart" not in ids and "peer_report.raw" in ids


def test_app_home_reopen_shows_no_buttons_that_post(make_bot: Callable[..., Bot]) -> None:
    bot = _bot(make_bot)
    bot.click("peer_report.reopen", encode_value(APP, REQUESTED))
    (updated,) = bot.slack.wait_for("views.update")
    view = updated.params["view"]
    ids = {e.get("action_id") for b in view["blocks"] for e in b.get("elements", [])}
    assert "peer_report.raw" not in ids and "peer_report.chart" not in ids
    assert "peer_report.events" in ids


def test_paging_works_in_a_fallback_message(make_bot: Callable[..., Bot]) -> None:
    busy = "b0b0b0b0-0000-4000-8000-000000000002"
    bot = make_bot()
    add_busy_report(bot, busy)
    bot.slack.fail_next("views.open", "expired_trigger_id")
    bot.click("peer_report.events", encode_value(APP, busy))
    (reply,) = bot.slack.wait_for("response_url")
    message = reply.params
    nexts = [
        e
        for b in message["blocks"]
        for e in b.get("elements", [])
        if e.get("action_id") == "peer_report.page_next"
    ]
    assert nexts, "a paged view as a message must still page"
    bot.slack.clear()
    bot.click("peer_report.page_next", nexts[0]["value"], ephemeral=True)
    (paged,) = bot.slack.wait_for("response_url")
    assert paged.params["replace_original"] is True
    assert "page 2" in json.dumps(paged.params).lower()


def test_paging_a_modal_keeps_the_requested_peer(make_bot: Callable[..., Bot]) -> None:
    """Previous/Next carry the requested peer, not the report's own participant.id."""
    from bot.samples.builder import Scenario, build_envelope

    report_id = "b0b0b0b0-0000-4000-8000-000000000003"
    requested = "c1c1c1c1-0000-4000-8000-000000000004"
    scenario = Scenario(
        name="busy",
        peer_id=report_id,
        session_id=report_id,
        duration_s=600,
        sample_every_s=60,
        extra_events=80,
    )
    bot = make_bot()
    bot.cloudflare.add_report(requested, json.dumps(build_envelope(scenario)).encode())
    bot.click("peer_report.events", encode_value(APP, requested))
    opened = bot.slack.wait_for("views.update")[-1].params["view"]
    nexts = [
        e
        for b in opened["blocks"]
        for e in b.get("elements", [])
        if e.get("action_id") == "peer_report.page_next"
    ]
    assert nexts and json.loads(nexts[0]["value"])["p"] == requested
    assert report_id in json.dumps(opened)  # shown apart, as the report's own ID
    bot.click("peer_report.page_next", nexts[0]["value"], view={"id": "V0MODAL"})
    wait_until(
        lambda: any(
            "page 2" in json.dumps(c.params).lower() for c in bot.slack.calls("views.update")
        )
    )
    assert _peer_paths(bot) == {requested}
