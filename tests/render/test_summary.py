from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.health import assess
from bot.realtimekit.models import parse_participant
from bot.render.actions import CARD_BUTTONS, decode_value
from bot.render.limits import MAX_MESSAGE_TEXT_TOTAL
from bot.render.summary import render_summary
from bot.samples import load_sample_bytes, sample_names
from tests.render.helpers import (
    APP,
    DANGEROUS,
    PEER,
    area,
    assessment,
    check,
    finding,
    mrkdwn_texts,
    participant,
    strings,
)

HOSTILE = [
    "<!channel>",
    "<!here|x>",
    "<!everyone>",
    "<!subteam^S123|@oncall>",
    "<@U123>",
    "<#C1>",
    "<https://evil.example|click>",
    "<mailto:a@b.c|mail>",
    "Tom & Jerry &amp; &lt;",
    "line one\nline two\n> quote\n```pre```",
    "`code` *bold* _it_ ~st~",
    "x" * 10_000,
    "\x1b[31mred\x00",
]
WHEN = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def _render(p: Any = None, a: Any = None, **kw: Any) -> dict[str, Any]:
    return render_summary(p or participant(), a or assessment(), app_id=APP, fetched_at=WHEN, **kw)


def _text_size(payload: dict[str, Any]) -> int:
    return sum(len(s) for s in strings(payload))


def assert_safe(payload: dict[str, Any]) -> None:
    assert check(payload) == []
    for text in mrkdwn_texts(payload):
        assert not DANGEROUS.search(text), text
    assert _text_size(payload) < MAX_MESSAGE_TEXT_TOTAL


# --- layout -----------------------------------------------------------------------------


def test_card_layout() -> None:
    payload = _render()
    assert set(payload) == {"text", "blocks"}
    kinds = [(b["type"], b.get("block_id")) for b in payload["blocks"]]
    # Areas worst first: quality (poor), network (fair), device (good).
    assert kinds == [
        ("header", "pr-header"),
        ("context", "pr-who"),
        ("section", "pr-overall"),
        ("divider", "pr-divider"),
        ("section", "pr-area-quality"),
        ("section", "pr-area-network"),
        ("section", "pr-area-device"),
        ("actions", "pr-actions"),
        ("context", "pr-footer"),
    ]
    blocks = {b.get("block_id"): b for b in payload["blocks"]}
    assert blocks["pr-header"]["text"] == {
        "type": "plain_text",
        "text": "🔴 Poor: Mallory",
        "emoji": True,
    }
    who = blocks["pr-who"]["elements"][0]["text"]
    assert who == (
        "Custom ID `cust-1042` · 2026-11-24 14:00 UTC–14:46 UTC (46m 30s) · group_call_host"
        " · DE · AS3320 Deutsche Telekom AG · SDK @cloudflare/realtimekit 2.0.2"
    )
    # No engine headline on this hand-made assessment: the worst finding stands in.
    assert blocks["pr-overall"]["text"]["text"] == (
        "*Poor* — Sent video lost 12% of packets\n"
        "Next: Open the drill-down of the worst area below for the evidence."
    )
    quality = blocks["pr-area-quality"]["text"]["text"].split("\n")
    # The headline is not repeated; two findings at most, the rest counted.
    assert quality == [
        "🔴 *Quality — Poor*: video loss above 10% _(+1 more in Quality)_",
        "⚠️ Received audio jitter 60 ms",
        "⚠️ MOS 3.1 on audio",
    ]
    assert blocks["pr-area-network"]["text"]["text"].startswith("🟡 *Network — Fair*")
    assert blocks["pr-area-device"]["text"]["text"].startswith("🟢 *Device — Good*")
    buttons = blocks["pr-actions"]["elements"]
    assert [b["action_id"] for b in buttons] == [
        "peer_report.quality",
        "peer_report.events",
        "peer_report.pairs",
        "peer_report.device",
        "peer_report.refresh",
        "peer_report.session",
        "peer_report.raw",
    ]
    assert [b.get("style") for b in buttons] == ["primary"] + [None] * 6
    assert {(a, label) for a, label in CARD_BUTTONS} >= {
        (b["action_id"], b["text"]["text"]) for b in buttons
    }
    for button in buttons:
        value = decode_value(button["value"])
        assert (value.app_id, value.peer_id) == (APP, PEER)
    assert blocks["pr-footer"]["elements"][0]["text"] == (
        f"Peer `{PEER}` · app `{APP}` · 2026-11-24 15:00 UTC · IP addresses masked"
    )
    assert payload["text"] == "Poor: Mallory — Sent video lost 12% of packets"
    assert_safe(payload)


def test_unknown_area_says_why() -> None:
    a = assessment(
        "good",
        quality=area("unknown", "No quality stats in this report — fetched with a filter"),
    )
    text = next(b for b in _render(a=a)["blocks"] if b.get("block_id") == "pr-area-quality")
    assert text["text"]["text"] == (
        "⚪ *Quality — Unknown*: No quality stats in this report — fetched with a filter"
    )


def test_all_unknown() -> None:
    unknown = area("unknown", "no data")
    payload = _render(
        participant(peer_report=None, peer_events=None, role=None, custom_participant_id=None),
        assessment("unknown", device=unknown, network=unknown, quality=unknown),
    )
    assert payload["blocks"][0]["text"]["text"] == "⚪ Not enough data: Mallory"
    assert "too little data" in payload["blocks"][2]["text"]["text"]
    assert payload["text"] == (
        "Not enough data: Mallory — The report holds too little data to judge."
    )
    assert_safe(payload)


def test_empty_participant_still_renders() -> None:
    from bot.realtimekit.models import Participant

    unknown = area("unknown", "no data")
    a = assessment("unknown", device=unknown, network=unknown, quality=unknown, display_name=None)
    payload = render_summary(Participant(), a, app_id=APP)
    assert payload["blocks"][0]["text"]["text"] == "⚪ Not enough data: Unnamed participant"
    assert_safe(payload)


def test_ip_and_city_masked_unless_allowed() -> None:
    masked = json.dumps(_render(), ensure_ascii=False)
    assert "Berlin" not in masked and "203.0.113.45" not in masked
    shown = json.dumps(_render(show_ip=True), ensure_ascii=False)
    assert "Berlin" in shown and "IP addresses masked" not in shown


def test_long_display_name_keeps_the_verdict() -> None:
    payload = _render(participant(display_name="N" * 400))
    header = payload["blocks"][0]["text"]["text"]
    assert len(header) <= 150 and header.startswith("🔴 Poor: NNN") and header.endswith("…")
    assert_safe(payload)


# --- hostile strings --------------------------------------------------------------------


@pytest.mark.parametrize("evil", HOSTILE)
def test_hostile_strings_render_escaped(evil: str) -> None:
    p = participant(
        display_name=evil,
        custom_participant_id=evil,
        role=evil,
        session_id=evil,
        peer_report={"metadata": {"sdk_name": evil, "ip_information": {"country": evil}}},
    )
    a = assessment(
        device=area("fair", f"device {evil}", finding(f"label {evil}"), sdk_name=evil),
        network=area("poor", evil, finding(evil, "critical")),
        quality=area("unknown", evil),
        display_name=evil,
    )
    payload = _render(p, a)
    assert_safe(payload)
    for text in mrkdwn_texts(payload):
        assert "\x1b" not in text and "\x00" not in text
    if "<" in evil:
        assert "&lt;" in payload["text"]


def test_hostile_sample() -> None:
    p = parse_participant(load_sample_bytes("hostile"))
    payload = render_summary(p, assess(p, app_id=APP), app_id=APP)
    assert_safe(payload)
    assert "&lt;!channel&gt;" in payload["text"]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(name=st.text(), custom=st.text(max_size=300), message=st.text(max_size=300))
def test_any_display_name_is_safe(name: str, custom: str, message: str) -> None:
    p = participant(display_name=name, custom_participant_id=custom)
    a = assessment(network=area("poor", message, finding(message, "critical")), display_name=name)
    assert_safe(_render(p, a))


# --- samples ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sample_names())
@pytest.mark.parametrize("show_ip", [False, True])
def test_every_sample_renders_valid_block_kit(name: str, show_ip: bool) -> None:
    p = parse_participant(load_sample_bytes(name))
    payload = render_summary(p, assess(p, app_id=APP), app_id=APP, show_ip=show_ip)
    assert_safe(payload)
    assert "\n" not in payload["text"]
    assert payload["blocks"][0]["type"] == "header"
    assert payload["blocks"][-2]["type"] == "actions"
