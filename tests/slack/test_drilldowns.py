"""Card buttons open drill-downs: loading modal then update, pagination, uploads, fallbacks."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bot.render.actions import encode_value
from tests.slack.conftest import Bot, check_payload
from tests.slack.fakes import APP
from tests.slack.test_commands import PEERS, responses, with_reports


def opened_then_updated(bot: Bot) -> dict[str, Any]:
    (opened,) = bot.slack.wait_for("views.open")
    assert opened.params["trigger_id"] in ("trig-click", "trig-1")
    assert "Loading" in json.dumps(opened.params["view"])
    (updated,) = bot.slack.wait_for("views.update")
    assert updated.params["view_id"].startswith("V")
    view: dict[str, Any] = updated.params["view"]
    assert check_payload(view) == []
    return view


def test_each_button_opens_its_view_and_reuses_the_cached_report(
    make_bot: Callable[..., Bot],
) -> None:
    bot = with_reports(make_bot())
    bot.command(f"{APP} {PEERS['mobile-loss']}")
    responses(bot, 2)
    for action, title in (
        ("peer_report.events", "Events"),
        ("peer_report.pairs", "Candidate pairs"),
        ("peer_report.quality", "Quality"),
        ("peer_report.device", "Device & IP"),
    ):
        bot.slack.clear()
        bot.click(action, encode_value(APP, PEERS["mobile-loss"]))
        view = opened_then_updated(bot)
        assert view["title"]["text"] == title
    assert len(bot.cloudflare.calls()) == 1  # every drill-down read the cache


def add_busy_report(bot: Bot, busy: str) -> None:
    """A 10-minute report with 80 extra events: its Events view needs several pages."""
    from bot.samples.builder import Scenario, build_envelope

    scenario = Scenario(
        name="busy",
        peer_id=busy,
        session_id=busy,
        duration_s=600,
        sample_every_s=60,
        extra_events=80,
    )
    bot.cloudflare.add_report(busy, json.dumps(build_envelope(scenario)).encode())


def test_event_pages_move_with_the_buttons(make_bot: Callable[..., Bot]) -> None:
    busy = "b0b0b0b0-0000-4000-8000-000000000001"
    bot = make_bot()
    add_busy_report(bot, busy)
    bot.click("peer_report.events", encode_value(APP, busy))
    view = opened_then_updated(bot)
    assert "Page 1 of" in json.dumps(view)
    next_button = next(
        e
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "peer_report.page_next"
    )
    bot.slack.clear()
    bot.click("peer_report.page_next", next_button["value"], view={"id": "V0042", "type": "modal"})
    (update,) = bot.slack.wait_for("views.update")
    assert update.params["view_id"] == "V0042"
    assert "Page 2 of" in json.dumps(update.params["view"])


def test_ip_masking_follows_the_channel(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot(show_ip_in="C0SECURE"))
    bot.click("peer_report.device", encode_value(APP, PEERS["healthy"]), channel="C0CHAN")
    masked = json.dumps(opened_then_updated(bot))
    assert "203.0.113.7" not in masked and "203.0.113.x" in masked
    bot.slack.clear()
    bot.click("peer_report.device", encode_value(APP, PEERS["healthy"]), channel="C0SECURE")
    assert "203.0.113.7" in json.dumps(opened_then_updated(bot))


def test_reveal_ip_is_ephemeral_to_the_requester(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.click("peer_report.reveal_ip", encode_value(APP, PEERS["healthy"], c="C0CHAN"))
    (call,) = bot.slack.wait_for("chat.postEphemeral")
    assert call.params["user"] == "U0USER"
    assert "203.0.113.7" in json.dumps(call.params)
    assert bot.slack.calls("chat.postMessage") == []


def test_expired_trigger_falls_back_to_an_ephemeral_message(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.slack.fail_next("views.open", "expired_trigger_id")
    bot.click("peer_report.pairs", encode_value(APP, PEERS["healthy"]))
    (reply,) = responses(bot, 1)
    assert "candidate pairs" in json.dumps(reply).lower()
    assert reply["response_type"] == "ephemeral"
    assert check_payload({"text": reply["text"], "blocks": reply["blocks"]}) == []


def test_raw_report_is_uploaded_masked_into_the_thread(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.click("peer_report.raw", encode_value(APP, PEERS["healthy"]), ts="1700000009.000900")
    (complete,) = bot.slack.wait_for("files.completeUploadExternal")
    assert complete.params.get("thread_ts") == "1700000009.000900"
    assert complete.params.get("channel_id") == "C0CHAN"
    (upload,) = bot.slack.wait_for("upload")
    body = upload.body
    assert b"_note" in body and b"203.0.113.7" not in body
    assert b"cf-e2e-token" not in body and b"xoxb-e2e" not in body


def test_raw_upload_refused_explains_the_cli(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.slack.fail_next("files.getUploadURLExternal", "not_in_channel")
    bot.click("peer_report.raw", encode_value(APP, PEERS["healthy"]))
    (reply,) = responses(bot, 1)
    assert "--section raw" in json.dumps(reply)


def test_chart_is_uploaded_as_a_png(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.click("peer_report.chart", encode_value(APP, PEERS["mobile-loss"]))
    (upload,) = bot.slack.wait_for("upload", timeout=30)
    assert b"\x89PNG" in upload.body
    (complete,) = bot.slack.wait_for("files.completeUploadExternal")
    assert complete.params.get("thread_ts")


def test_section_word_in_the_command_goes_straight_there(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot())
    bot.command(f"{APP} {PEERS['healthy']} quality")
    view = opened_then_updated(bot)
    assert view["title"]["text"] == "Quality"
