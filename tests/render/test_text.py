from __future__ import annotations

import pytest

from bot.health import assess
from bot.realtimekit.models import parse_participant
from bot.render.text import render_text
from bot.samples import load_sample_bytes, sample_names
from tests.render.helpers import APP, assessment, participant


def test_plain_text_has_no_ansi_and_the_card_content() -> None:
    out = render_text(participant(), assessment(), color=False)
    assert "\x1b" not in out
    lines = out.splitlines()
    assert lines[0] == "Peer report: Mallory  —  overall POOR"
    for fact in (
        "cust-1042",
        "6bf2b8be-04dd-4191-b602-1128921a306b",
        "joined 2026-11-24 14:00 UTC, left 14:46 UTC",
        "46m 30s in the call",
        "group_call_host · group call",
        "SDK @cloudflare/realtimekit 2.0.2",
        "203.0.113.45",
        "Berlin",
    ):
        assert fact in lines[1]
    assert "Quality: POOR — video loss above 10%" in out
    assert "  !! Sent video lost 12% of packets" in out


def test_color_only_when_asked() -> None:
    out = render_text(participant(), assessment(), color=True)
    assert "\x1b[31m" in out and "\x1b[0m" in out


def test_masked_when_asked() -> None:
    out = render_text(participant(), assessment(), color=False, show_ip=False)
    assert "203.0.113.x" in out and "Berlin" not in out


def test_report_data_cannot_inject_terminal_sequences() -> None:
    evil = "\x1b[2J\x1b]0;pwned\x07name"
    out = render_text(
        participant(display_name=evil, custom_participant_id=evil), assessment(), color=False
    )
    assert "\x1b" not in out and "\x07" not in out


@pytest.mark.parametrize("name", sample_names())
def test_every_sample(name: str) -> None:
    p = parse_participant(load_sample_bytes(name))
    a = assess(p, app_id=APP)
    plain = render_text(p, a, color=False)
    assert "\x1b" not in plain
    for area in ("Device", "Network", "Quality"):
        assert f"\n{area}: " in plain
    assert "\x1b[" in render_text(p, a, color=True)
