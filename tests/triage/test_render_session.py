"""The session card's limits and escaping, with triages built directly."""

from __future__ import annotations

import json

import pytest

from bot.health.model import Area, Assessment, Status
from bot.ids import SessionRef
from bot.render.session import (
    OPEN_PEER,
    decode_session_value,
    render_session_blocks,
    render_session_text,
    session_value,
)
from bot.triage.model import Blame, PeerEvidence, SessionInfo, Skipped, Triage, worst_first
from tests.slack.conftest import check_payload
from tests.slack.fakes import mrkdwn_texts

APP = "14a396e7-ca44-4937-bf1f-050a69118543"
SESSION = "813432c7-3c5a-45e2-9acf-eef7061c7584"


def peer(i: int, status: Status, name: str | None = None) -> PeerEvidence:
    assessment = Assessment(
        peer_id=f"0000cccc-0000-4000-8000-{i:012d}",
        app_id=APP,
        session_id=SESSION,
        display_name=name or f"P{i}",
        overall=status,
        areas={"quality": Area(status=status, summary=f"quality is {status}")},
        headline=f"headline of P{i} <!channel>",
    )
    return PeerEvidence(str(assessment.peer_id), name or f"P{i}", assessment)


def triage(statuses: list[Status], *, status: str = "ENDED", blame: int = 1) -> Triage:
    peers = worst_first([peer(i, s) for i, s in enumerate(statuses)])
    return Triage(
        info=SessionInfo(SESSION, APP, "Town hall <!here>", status, "2026-11-24T14:00:00Z", None)  # type: ignore[arg-type]
        if status == "LIVE"
        else SessionInfo(
            SESSION,
            APP,
            "Town hall <!here>",
            "ENDED",
            "2026-11-24T14:00:00Z",
            "2026-11-24T15:00:00Z",
        ),
        participants=tuple(peers),
        blame=tuple(
            Blame(peers[0].peer_id, "*Mallory*", "uplink", f"<@U123> evidence {n}", 4, 4)
            for n in range(blame)
        ),
        skipped=(Skipped("0000dddd-0000-4000-8000-000000000001", "Cloudflare 500 <b>"),),
        total=len(statuses) + 1,
    )


def test_two_hundred_participants_fit_and_the_rest_are_counts() -> None:
    statuses: list[Status] = ["poor"] * 12 + ["fair"] * 20 + ["unknown"] * 8 + ["good"] * 160
    payload = render_session_blocks(triage(statuses, blame=9))
    assert check_payload(payload) == []
    assert len(payload["blocks"]) <= 20
    text = json.dumps(payload, ensure_ascii=False)
    assert "🔴 12 · 🟡 20 · 🟢 160 · ⚪ 8" in text
    buttons = [b["accessory"] for b in payload["blocks"] if "accessory" in b]
    assert len(buttons) == 5 and {b["action_id"] for b in buttons} == {OPEN_PEER}
    assert "35 more with problems (🔴 7 · 🟡 20 · ⚪ 8)" in text
    assert "160 others were fine." in text
    assert "+4 more in" in text
    assert "1 report could not be fetched" in text
    assert len(payload["text"]) <= 150


def test_user_strings_cannot_ping() -> None:
    payload = render_session_blocks(triage(["poor", "good"]))
    text = " ".join([payload["text"], *mrkdwn_texts(payload["blocks"])])
    assert "<!channel>" not in text and "<!here>" not in text and "<@U123>" not in text
    assert "&lt;!channel&gt;" in text and "&lt;@U123&gt;" in text


def test_live_session_says_stats_run_up_to_now() -> None:
    payload = render_session_blocks(triage(["good"], status="LIVE", blame=0))
    text = json.dumps(payload, ensure_ascii=False)
    assert "LIVE" in text and "stats run up to now" in text
    assert "nobody's connection caused trouble" in text
    assert payload["blocks"][0]["text"]["text"].startswith("🟢")


def test_text_lists_everyone() -> None:
    out = render_session_text(triage(["poor", "fair", "good"]))
    assert out.count("(0000cccc-") == 3
    assert "Could not be fetched" in out


def test_session_button_value_round_trips_and_is_strict() -> None:
    value = session_value(APP, SESSION)
    assert decode_session_value(value) == SessionRef(APP, SESSION)
    for bad in ('{"a":"x","s":"y"}', "[]", "nope", json.dumps({"a": APP, "s": SESSION, "z": 1})):
        with pytest.raises(ValueError):
            decode_session_value(bad)


def test_progress_fetching_and_done_notes_are_valid_block_kit() -> None:
    from bot.render.session import (
        render_session_done,
        render_session_fetching,
        render_session_progress,
    )

    ref = SessionRef(APP, SESSION)
    progress = render_session_progress(ref, 9, 14)
    assert "9 of 14 reports" in progress["text"]
    for payload in (progress, render_session_fetching(ref), render_session_done(triage(["good"]))):
        assert check_payload(payload) == []
