"""Wire models: every sample parses; unknown fields and values are kept; nulls accepted."""

from __future__ import annotations

import itertools
import json

import pytest

from bot.realtimekit.models import Participant, ReportParseError, parse_participant
from bot.samples import load_sample_bytes, sample_for_peer, sample_names
from bot.samples.builder import build_envelope, four_hour_scenario


@pytest.mark.parametrize("name", sample_names())
def test_every_sample_parses_and_is_found_by_peer(name: str) -> None:
    participant = parse_participant(load_sample_bytes(name))
    assert participant.id and sample_for_peer(participant.id.upper()) == name


def test_unknown_fields_and_enum_values_are_kept() -> None:
    doc = json.loads(load_sample_bytes("healthy"))
    participant = doc["data"]["participant"]
    participant["brand_new_field"] = {"x": 1}
    participant["peer_events"][0]["event_name"] = "PEER_TELEPORTED"
    participant["peer_report"]["metadata"]["precall_network_information"] = {"rtt": 12}
    quality = participant["peer_report"]["quality"]
    quality["video_producer"][0]["quality_limitation_reason"] = "thermal"
    quality["video_producer"][0]["new_counter"] = 7
    quality["holographic_producer"] = [{"timestamp": "x"}]
    parsed = parse_participant(json.dumps(doc).encode())
    assert parsed.model_extra == {"brand_new_field": {"x": 1}}
    assert parsed.peer_events and parsed.peer_events[0].event_name == "PEER_TELEPORTED"
    report = parsed.peer_report
    assert report and report.metadata and report.quality and report.quality.video_producer
    assert report.metadata.model_extra == {"precall_network_information": {"rtt": 12}}
    sample = report.quality.video_producer[0]
    assert sample.quality_limitation_reason == "thermal"
    assert sample.model_extra == {"new_counter": 7}
    assert "holographic_producer" in (report.quality.model_extra or {})


def test_nullable_fields_accept_null() -> None:
    bare = {
        "id": "79d87ca5-7e47-452a-b3c1-b6842ad84bf5",
        "peer_events": [
            {
                "participant_id": None,
                "preset_view_type": None,
                "session_id": None,
                "socket_session_id": None,
                "event_name": "PEER_JOINING",
            }
        ],
        "peer_report": {
            "metadata": {
                "browser_metadata": {"webgl_support": None},
                "events": [{"name": "x", "metadata": {"a": None, "b": 1, "c": True}}],
            }
        },
    }
    parsed = parse_participant(json.dumps(bare))
    assert parsed.peer_events and parsed.peer_events[0].preset_view_type is None
    metadata = parsed.peer_report.metadata  # type: ignore[union-attr]
    assert (
        metadata
        and metadata.events
        and metadata.events[0].metadata == {"a": None, "b": 1, "c": True}
    )


def test_envelope_and_bare_participant_are_the_same() -> None:
    raw = load_sample_bytes("turn-tcp")
    bare = json.dumps(json.loads(raw)["data"]["participant"]).encode()
    assert parse_participant(raw) == parse_participant(bare)


@pytest.mark.parametrize(
    ("raw", "phrase"),
    [
        (b"", "empty"),
        (b"not json", "not a JSON object"),
        (b"[1,2]", "not a JSON object"),
        (b'{"success": true, "data": {}}', "no participant"),
        (b'{"success": true, "data": {"participant": {"id": ', "not valid JSON"),
        (b'{"id": 12, "peer_events": "nope"}', "unexpected shape"),
    ],
)
def test_garbage_is_refused_with_a_reason(raw: bytes, phrase: str) -> None:
    with pytest.raises(ReportParseError, match=phrase):
        parse_participant(raw)


def test_builder_cumulatives_agree_with_the_samples() -> None:
    from bot.samples.scenarios import SCENARIOS

    doc = build_envelope(SCENARIOS["mobile-loss"][0], seed=1)
    quality = doc["data"]["participant"]["peer_report"]["quality"]
    rows = quality["audio_consumer"]
    losses = []
    for before, after in itertools.pairwise(rows):
        lost = after["packets_lost"] - before["packets_lost"]
        received = after["packets_received"] - before["packets_received"]
        losses.append(100 * lost / (lost + received))
    average = sum(losses) / len(losses)
    assert average == pytest.approx(
        quality["audio_consumer_cumulative"]["packet_loss"]["avg"], abs=0.6
    )


def test_four_hour_scenario_is_big() -> None:
    doc = build_envelope(four_hour_scenario())
    quality = doc["data"]["participant"]["peer_report"]["quality"]
    assert all(len(quality[k]) >= 2880 for k in quality if not k.endswith("_cumulative"))
    assert len(json.dumps(doc)) > 5_000_000
    assert isinstance(Participant.model_validate(doc["data"]["participant"]), Participant)


def test_bundled_samples_are_reproducible() -> None:
    from bot.samples.regenerate import render

    for name in sample_names():
        assert render(name).encode() == load_sample_bytes(name), name
