"""The card decides in five seconds: static checks over every demo and stress assessments.

Budgets (DESIGN.md, "Slack surface"): at most 12 visible lines and 1,200 characters, the
headline at most twice across fallback and blocks, a fallback of at most 150 characters that
starts with the verdict and ends on a word, a ``Next:`` line, one primary button when the
verdict is fair or poor (none otherwise), and never green unless ``overall`` is good.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.health import assess
from bot.health.model import Area, Assessment, Finding, Status
from bot.realtimekit.models import parse_participant
from bot.render.summary import headline, render_summary
from bot.samples import load_sample_bytes, sample_names
from tests.render.helpers import APP, PEER, check, participant

WHEN = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
VERDICTS = {"good": "Good", "fair": "Fair", "poor": "Poor", "unknown": "Not enough data"}


def visible_texts(payload: dict[str, Any]) -> list[str]:
    """What a reader sees as text: header, sections and context lines (not button labels)."""
    out: list[str] = []
    for block in payload["blocks"]:
        if block["type"] in ("header", "section"):
            out.append(block["text"]["text"])
        elif block["type"] == "context":
            out.extend(e["text"] for e in block["elements"] if "text" in e)
    return out


def visible_lines(payload: dict[str, Any]) -> int:
    return sum(t.count("\n") + 1 for t in visible_texts(payload))


def visible_chars(payload: dict[str, Any]) -> int:
    return sum(len(t) for t in visible_texts(payload))


def _words(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def assert_decidable(payload: dict[str, Any], assessment: Assessment) -> None:
    assert check(payload) == []
    assert visible_lines(payload) <= 12, visible_texts(payload)
    assert visible_chars(payload) <= 1200, visible_chars(payload)
    text = payload["text"]
    assert len(text) <= 150
    assert text.startswith(VERDICTS[assessment.overall] + ":")
    assert not text.endswith(" …")
    lines = [line for t in visible_texts(payload) for line in t.split("\n")]
    assert any(line.startswith("Next: ") and len(line) > 10 for line in lines)
    head = _words(headline(assessment))
    if len(head) > 20:
        said = [_words(t) for t in [text, *visible_texts(payload)]]
        assert sum(head[:40] in s for s in said) <= 2
    header = payload["blocks"][0]["text"]["text"]
    assert ("🟢" in header) == (assessment.overall == "good")
    if assessment.overall == "unknown":
        assert header.startswith("⚪ Not enough data")
    buttons = [e for b in payload["blocks"] if b["type"] == "actions" for e in b["elements"]]
    primary = [b for b in buttons if b.get("style") == "primary"]
    assert len(primary) == (1 if assessment.overall in ("fair", "poor") else 0)


@pytest.mark.parametrize("name", sample_names())
def test_every_demo_card_is_decidable(name: str) -> None:
    p = parse_participant(load_sample_bytes(name))
    a = assess(p, app_id=APP)
    assert_decidable(render_summary(p, a, app_id=APP, peer_id=PEER, fetched_at=WHEN), a)


def _finding(text: str, severity: str = "critical") -> Finding:
    return Finding(severity=severity, code="quality.loss", message=text)  # type: ignore[arg-type]


def _stress(status: Status, message: str, count: int, head: str) -> Assessment:
    findings = tuple(_finding(f"{message} #{i}", "critical") for i in range(count))
    areas: dict[str, Area] = {
        name: Area(status=status, summary=f"{message} summary of {name}", findings=findings)
        for name in ("device", "network", "quality")
    }
    return Assessment(
        peer_id=PEER,
        app_id=APP,
        session_id=None,
        display_name="x",
        overall=status,
        areas=areas,  # type: ignore[arg-type]
        headline=head,
        next_step="Ask them to move closer to the router, then refresh this report.",
    )


@pytest.mark.parametrize("status", ["good", "fair", "poor", "unknown"])
def test_worst_case_card_stays_within_budget(status: Status) -> None:
    long = "word " * 200
    a = _stress(status, long, 14, long)
    assert_decidable(render_summary(participant(display_name="N" * 300), a, app_id=APP), a)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    status=st.sampled_from(["good", "fair", "poor", "unknown"]),
    message=st.text(min_size=1, max_size=400),
    head=st.text(max_size=400),
    count=st.integers(min_value=0, max_value=9),
)
def test_any_assessment_fits(status: Status, message: str, head: str, count: int) -> None:
    a = _stress(status, message, count, head)
    assert_decidable(render_summary(participant(), a, app_id=APP, fetched_at=WHEN), a)


def test_the_headline_is_said_once_on_the_card_and_once_in_the_notification() -> None:
    head = "Sent video lost 12% of packets between 14:05 and 14:17 UTC"
    a = _stress("poor", "other evidence", 2, head)
    areas = dict(a.areas)
    areas["quality"] = Area(
        status="poor", summary=head, findings=(_finding(head), _finding("jitter 60 ms"))
    )
    a = a.model_copy(update={"areas": areas})
    payload = render_summary(participant(), a, app_id=APP, fetched_at=WHEN)
    everything = [payload["text"], *visible_texts(payload)]
    assert sum(t.count(head) for t in everything) == 2


def test_the_requested_peer_keys_every_button_even_when_the_report_says_otherwise() -> None:
    other = "00000000-0000-4000-8000-000000000001"
    p = parse_participant(load_sample_bytes("mobile-loss"))
    assert p.id != other
    payload = render_summary(p, assess(p, app_id=APP), app_id=APP, peer_id=other)
    buttons = [e for b in payload["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons and all(f'"p":"{other}"' in b["value"] for b in buttons)
    footer = payload["blocks"][-1]["elements"][0]["text"]
    assert other in footer
    # The report's own ID is shown, separately, because it differs.
    assert f"participant ID `{p.id}`" in payload["blocks"][1]["elements"][0]["text"]


def test_no_posting_buttons_without_a_channel_and_no_chart_without_samples() -> None:
    p = parse_participant(load_sample_bytes("healthy"))
    ids = _button_ids(render_summary(p, assess(p), app_id=APP, can_post=False))
    assert "peer_report.raw" not in ids and "peer_report.chart" not in ids
    sparse = parse_participant(load_sample_bytes("sparse"))
    ids = _button_ids(render_summary(sparse, assess(sparse), app_id=APP))
    assert "peer_report.raw" in ids and "peer_report.chart" not in ids


def _button_ids(payload: dict[str, Any]) -> list[str]:
    return [
        e["action_id"] for b in payload["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]


def test_the_fallback_is_cut_after_a_whole_word() -> None:
    head = " ".join(f"evidence{i}" for i in range(60))
    a = _stress("poor", "x", 1, head)
    text = render_summary(participant(), a, app_id=APP)["text"]
    assert len(text) <= 150 and text.endswith("…")
    kept = text.removesuffix("…").split(" — ", 1)[1]
    assert head.startswith(kept) and head[len(kept)] == " "
