"""Drill-down views: every section, every sample, pagination, IP masking, hostile strings."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from bot.health import assess
from bot.realtimekit.models import Participant, parse_participant
from bot.render.sections import (
    SECTIONS,
    path_meaning,
    render_raw_json,
    render_section_blocks,
    render_section_text,
    render_section_view,
    sparkline,
)
from bot.samples import load_sample_bytes, sample_names
from bot.samples.builder import build_participant, four_hour_scenario

APP = "14a396e7-ca44-4937-bf1f-050a69118543"
_spec = importlib.util.spec_from_file_location(
    "blockkit_check", Path(__file__).resolve().parents[1] / "_vendor" / "blockkit_check.py"
)
assert _spec and _spec.loader
blockkit_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(blockkit_check)


def sample(name: str) -> Participant:
    return parse_participant(load_sample_bytes(name))


def mrkdwn(node: Any) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn":
            out.append(node["text"])
        for value in node.values():
            out += mrkdwn(value)
    elif isinstance(node, list):
        for value in node:
            out += mrkdwn(value)
    return out


@pytest.mark.parametrize("name", sample_names())
@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_of_every_sample_is_valid(name: str, section: str) -> None:
    participant = sample(name)
    for show_ip in (False, True):
        view = render_section_view(
            participant,
            section,
            assessment=assess(participant),
            app_id=APP,
            show_ip=show_ip,
            channel_id="C1",
        )
        assert blockkit_check.check(view, forbid_broadcast=True) == []
        message = render_section_blocks(
            participant, section, assessment=assess(participant), app_id=APP, show_ip=show_ip
        )
        assert blockkit_check.check(message, forbid_broadcast=True) == []
        assert render_section_text(
            participant, section, assessment=assess(participant), show_ip=show_ip
        ).strip()


def events_participant(count: int) -> Participant:
    doc = json.loads(load_sample_bytes("healthy"))["data"]["participant"]
    doc["peer_report"]["metadata"]["events"] = [
        {
            "name": f"custom_event_{i:03d}",
            "timestamp": f"2026-11-24T14:{i // 60:02d}:{i % 60:02d}.000Z",
        }
        for i in range(count)
    ]
    return Participant.model_validate(doc)


def page_of(participant: Participant, page: int) -> dict[str, Any]:
    return render_section_view(
        participant, "events", assessment=assess(participant), app_id=APP, show_ip=False, page=page
    )


def buttons(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block["type"] == "actions":
            for element in block["elements"]:
                found[element["text"]["text"]] = json.loads(element["value"])
    return found


def test_events_paginate_across_pages_and_lose_nothing() -> None:
    participant = events_participant(80)
    seen: list[str] = []
    first = page_of(participant, 1)
    assert set(buttons(first)) == {"Next ▶"}
    assert buttons(first)["Next ▶"]["pg"] == "2" and buttons(first)["Next ▶"]["s"] == "events"
    pages = int(next(t for t in mrkdwn(first) if t.startswith("Page 1 of")).split()[3])
    assert pages >= 3
    for page in range(1, pages + 1):
        view = page_of(participant, page)
        assert blockkit_check.check(view, forbid_broadcast=True) == []
        labels = set(buttons(view))
        assert ("◀ Previous" in labels) == (page > 1)
        assert ("Next ▶" in labels) == (page < pages)
        seen += [t for t in mrkdwn(view) if "custom_event_" in t]
    names = [t.split("custom_event_")[1][:3] for t in seen]
    assert sorted(names) == [f"{i:03d}" for i in range(80)]


def test_empty_sections_say_so_plainly() -> None:
    participant = sample("sparse")
    for section, phrase in (
        ("events", "No events"),
        ("pairs", "No candidate pairs"),
        ("quality", "No quality stats"),
    ):
        view = render_section_view(
            participant, section, assessment=assess(participant), app_id=APP, show_ip=False
        )
        assert any(phrase in t for t in mrkdwn(view)), section


def test_ip_addresses_only_when_allowed() -> None:
    participant = sample("healthy")
    for section in ("pairs", "device"):
        masked = json.dumps(
            render_section_view(
                participant, section, assessment=assess(participant), app_id=APP, show_ip=False
            )
        )
        full = json.dumps(
            render_section_view(
                participant, section, assessment=assess(participant), app_id=APP, show_ip=True
            )
        )
        assert "203.0.113.7" not in masked and "203.0.113.x" in masked
        assert "203.0.113.7" in full
    device_masked = render_section_view(
        participant, "device", assessment=assess(participant), app_id=APP, show_ip=False
    )
    assert "Show full IP (only to me)" in buttons(device_masked)
    assert "Berlin" not in json.dumps(device_masked)
    device_full = render_section_view(
        participant, "device", assessment=assess(participant), app_id=APP, show_ip=True
    )
    assert "Show full IP (only to me)" not in buttons(device_full)
    assert "Berlin" in json.dumps(device_full)


def test_raw_json_is_masked_and_says_so() -> None:
    participant = sample("turn-tcp")
    masked = json.loads(render_raw_json(participant, show_ip=False))
    text = json.dumps(masked)
    assert "_note" in masked and "198.51.100.77" not in text and "Amsterdam" not in text
    assert masked["peer_report"]["metadata"]["ip_information"]["country"] == "NL"
    full = json.loads(render_raw_json(participant, show_ip=True))
    assert "198.51.100.77" in json.dumps(full) and "_note" not in full


def test_hostile_strings_are_escaped_everywhere() -> None:
    participant = sample("hostile")
    doc = participant.model_dump(by_alias=True)
    doc["peer_report"]["metadata"]["events"] = [
        {
            "name": "<!channel>",
            "timestamp": "2026-11-24T14:01:00.000Z",
            "metadata": {"<@U1>": "<https://evil.example|x>", "n": "<#C1>"},
        },
    ]
    hostile = Participant.model_validate(copy.deepcopy(doc))
    for section in SECTIONS:
        view = render_section_view(
            hostile, section, assessment=assess(hostile), app_id=APP, show_ip=False
        )
        assert blockkit_check.check(view, forbid_broadcast=True) == []
        for text in mrkdwn(view):
            assert (
                "<!" not in text and "<@" not in text and "<#" not in text and "<http" not in text
            )


def test_path_meaning_sentences() -> None:
    participant = sample("turn-tcp")
    pairs = participant.peer_report.metadata.candidate_pairs.producing_transport  # type: ignore[union-attr]
    assert pairs is not None
    assert "TURN over TCP 443" in path_meaning(pairs[0])
    healthy = sample("healthy").peer_report.metadata.candidate_pairs.producing_transport  # type: ignore[union-attr]
    assert healthy is not None and "STUN" in path_meaning(healthy[0])


def test_sparkline_shape() -> None:
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8], buckets=8) == "▁▂▃▄▅▆▇█"
    assert sparkline([]) == ""
    assert sparkline([3.0] * 10, buckets=5) == "▁▁▁▁▁"


def test_largest_realistic_report_stays_within_limits() -> None:
    participant = Participant.model_validate(build_participant(four_hour_scenario(), seed=1))
    for section in SECTIONS:
        view = render_section_view(
            participant, section, assessment=assess(participant), app_id=APP, show_ip=False, page=3
        )
        assert blockkit_check.check(view, forbid_broadcast=True) == []
        assert len(view["blocks"]) <= 100
        message = render_section_blocks(
            participant, section, assessment=assess(participant), app_id=APP, show_ip=False, page=2
        )
        assert blockkit_check.check(message, forbid_broadcast=True) == []
        assert len(message["blocks"]) <= 50


def test_summary_of_the_largest_report_stays_within_limits() -> None:
    from bot.health import assess
    from bot.render.summary import render_summary

    participant = Participant.model_validate(build_participant(four_hour_scenario(), seed=1))
    payload = render_summary(participant, assess(participant), app_id=APP)
    assert blockkit_check.check(payload, forbid_broadcast=True) == []
    assert len(payload["blocks"]) <= 50
