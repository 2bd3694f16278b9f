"""What an experienced WebRTC support engineer concludes from the SDK's events and from thin data.

Table-driven: each scenario is a report built here, with the verdict, the key finding code and
the words the expert expects (checked in the headline, next step, and the key finding's message
and action). The SDK event vocabulary comes from ``notes/realtimekit-sdk.md``.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.health import CODES, Assessment, assess
from tests.health.event_factory import (
    REQUESTED,
    churn,
    event,
    livestream_viewer,
    lossy_download,
    nulls_only,
    on_os,
    only_reconnect,
    permission,
    with_events,
    zeros_pair,
)
from tests.health.factory import Json, healthy, parse


@dataclass(frozen=True)
class Scenario:
    name: str
    doc: Json
    overall: str
    code: str | None
    words: tuple[str, ...] = ()
    areas: dict[str, str] = field(default_factory=dict)
    severity: str | None = None
    absent: tuple[str, ...] = ()


def _mic_denied_on_mac() -> Json:
    return on_os(with_events(permission("AUDIO", "SYSTEM_DENIED")), "macOS")


def _mic_denied_on_windows() -> Json:
    return on_os(with_events(permission("AUDIO", "SYSTEM_DENIED")), "Windows")


def _reconnect_with_ice_restart() -> Json:
    return with_events(
        event("reconnect_attempt", 300), event("ice_restart", 305), event("reconnected", 309)
    )


def _zeros_network() -> Json:
    doc = healthy()
    doc["peer_report"]["quality"] = {}
    metadata = doc["peer_report"]["metadata"]
    metadata["candidate_pairs"] = {
        "producing_transport": [zeros_pair()],
        "consuming_transport": [zeros_pair()],
    }
    metadata["pc_metadata"] = []
    return doc


def _sparse() -> Json:
    samples: Any = importlib.import_module("bot.samples")

    envelope = json.loads(samples.load_sample_bytes("sparse"))
    participant: Json = envelope["data"]["participant"]
    return participant


SCENARIOS = [
    Scenario(
        "microphone permission denied",
        with_events(permission("AUDIO", "DENIED")),
        "poor",
        "device.permission_denied",
        ("microphone", "refused", "could not hear", "Allow the microphone", "address bar"),
        {"device": "poor"},
        "critical",
    ),
    Scenario(
        "macOS blocks the microphone (camelCase keys)",
        _mic_denied_on_mac(),
        "poor",
        "device.permission_system_denied",
        ("macOS blocks the browser from the microphone", "Privacy & Security → Microphone"),
        {"device": "poor"},
        "critical",
    ),
    Scenario(
        "Windows blocks the microphone",
        _mic_denied_on_windows(),
        "poor",
        "device.permission_system_denied",
        ("Windows blocks the browser", "Privacy & security"),
        severity="critical",
    ),
    Scenario(
        "camera busy in another app (snake_case keys)",
        with_events(permission("VIDEO", "COULD_NOT_START", snake=True)),
        "fair",
        "device.could_not_start",
        ("camera", "another app", "could not see them", "Close other apps"),
        {"device": "fair", "network": "good", "quality": "good"},
        "warning",
    ),
    Scenario(
        "no microphone at all (lower-case values)",
        with_events(permission("audio", "no_devices_available")),
        "poor",
        "device.no_devices",
        ("no such device", "Connect a microphone"),
        severity="critical",
    ),
    Scenario(
        "screen-share picker closed is no fault",
        with_events(permission("SCREENSHARE", "CANCELED")),
        "good",
        "device.permission_canceled",
        ("closed the browser's prompt", "Nothing to fix on this side"),
        severity="info",
    ),
    Scenario(
        "microphone denied, then allowed",
        with_events(permission("AUDIO", "DENIED", 5), permission("AUDIO", "ACCEPTED", 40)),
        "good",
        "device.permission_denied",
        ("allowed later",),
        severity="info",
    ),
    Scenario(
        "autoplay blocked received audio",
        with_events(event("audio_play_failed", 12)),
        "poor",
        "device.audio_play_failed",
        ("autoplay", "heard nobody", "click anywhere on the meeting page"),
        {"device": "poor"},
        "critical",
    ),
    Scenario(
        "autoplay blocked received video",
        with_events(event("video_play_failed", 12)),
        "fair",
        "device.video_play_failed",
        ("autoplay", "saw no video"),
        severity="warning",
    ),
    Scenario(
        "microphone taken away mid-call",
        with_events(event("audio_track_muted", 200), event("audio_track_muted", 400)),
        "fair",
        "device.track_muted",
        ("microphone stopped delivering audio 2 times", "phone call", "Close other apps"),
        severity="warning",
    ),
    Scenario(
        "camera taken away mid-call",
        with_events(event("video_track_muted", 200)),
        "fair",
        "device.track_muted",
        ("camera stopped delivering video once", "picture"),
        severity="warning",
    ),
    Scenario(
        "meeting tab in the background for two minutes",
        with_events(
            event("tab_change", 120, isMeetingsTabActive=False),
            event("tab_change", 240, isMeetingsTabActive=True),
        ),
        "good",
        "device.tab_hidden",
        ("background 1 time, 2 min in total", "throttle"),
        severity="info",
    ),
    Scenario(
        "mobile app sent to the background (video froze)",
        with_events(event("browser_backgrounded", 120), event("browser_foregrounded", 300)),
        "fair",
        "device.app_backgrounded",
        ("background 1 time, 3 min in total", "frozen picture", "foreground"),
        {"device": "fair"},
        "warning",
    ),
    Scenario(
        "a glance at another app is no fault",
        with_events(event("browser_backgrounded", 120), event("browser_foregrounded", 123)),
        "good",
        "device.app_backgrounded",
        ("3 s in total",),
        severity="info",
    ),
    Scenario(
        "livestream viewer rebuffering",
        livestream_viewer(*(event("ivs_player_rebuffering", 60 * i) for i in (2, 4, 6, 8))),
        "poor",
        "quality.livestream_rebuffering",
        ("rebuffer 4 times", "download could not keep up", "viewer's download"),
        {"quality": "poor"},
        "critical",
    ),
    Scenario(
        "livestream viewer lost the network",
        livestream_viewer(event("ivs_player_network_unavailable", 200)),
        "poor",
        "network.player_offline",
        ("lost its network connection", "internet"),
        {"network": "poor"},
        "critical",
    ),
    Scenario(
        "livestream player failed",
        livestream_viewer(event("ivs_player_error", 200, message="MasterPlaylist 404")),
        "poor",
        "quality.player_error",
        ("MasterPlaylist 404", "reload"),
        {"quality": "poor"},
        "critical",
    ),
    Scenario(
        "livestream audio blocked by autoplay",
        livestream_viewer(event("ivs_player_audio_blocked", 3)),
        "poor",
        "device.player_blocked",
        ("autoplay", "click the player"),
        severity="critical",
    ),
    Scenario(
        "livestream viewer who saw no stalls: honest, not green",
        livestream_viewer(event("ivs_player_quality_changed", 90)),
        "unknown",
        "quality.livestream_viewer",
        ("no rebuffering", "2 quality changes", "livestream viewer", "host's report"),
        {"quality": "unknown", "device": "good"},
        "info",
    ),
    Scenario(
        "a report with only nulls is not healthy",
        nulls_only(),
        "unknown",
        None,
        ("Not enough data", "not measured", "Fetch the full report"),
        {"device": "unknown", "network": "unknown", "quality": "unknown"},
    ),
    Scenario(
        "the sparse demo is not healthy",
        _sparse(),
        "unknown",
        None,
        ("Not enough data", "network path and media quality were not measured"),
        {"network": "unknown", "quality": "unknown"},
    ),
    Scenario(
        "one reconnect_attempt is no proof of a good network",
        only_reconnect(),
        "unknown",
        "network.reconnects",
        ("Not enough data", "the only evidence: 1 reconnect"),
        {"network": "unknown"},
        "info",
    ),
    Scenario(
        "placeholder candidate pairs with zeros say nothing",
        _zeros_network(),
        "unknown",
        None,
        ("not measured",),
        {"network": "unknown"},
        absent=("network.low_uplink", "network.low_downlink", "network.rtt_high"),
    ),
    Scenario(
        "device churn alone is a nuisance, not a failed call",
        churn(healthy(), 20),
        "fair",
        "device.device_churn",
        ("plugged in or removed 20 times", "Jabra Evolve2 65", "headset cable"),
        {"device": "fair", "network": "good", "quality": "good"},
        "warning",
    ),
    Scenario(
        "device churn while media suffered is critical",
        churn(lossy_download(healthy()), 20),
        "poor",
        "device.device_churn",
        ("plugged in or removed 20 times",),
        {"device": "poor"},
        "critical",
    ),
    Scenario(
        "a reconnect and its ICE restart are one incident",
        _reconnect_with_ice_restart(),
        "good",
        "network.reconnects",
        ("1 reconnect", "ICE restart during it is part of the same incident"),
        {"network": "good"},
        "info",
        absent=("network.ice_restarts",),
    ),
    Scenario(
        "healthy call: nothing to fix here, look at the others",
        healthy(),
        "good",
        None,
        ("Healthy", "Nothing to fix on this side", "Whole call"),
        {"device": "good", "network": "good", "quality": "good"},
    ),
]


def _run(scenario: Scenario) -> Assessment:
    return assess(parse(scenario.doc), app_id="app")


def _all_codes(result: Assessment) -> list[str]:
    return [f.code for area in result.areas.values() for f in area.findings]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_expert_verdict(scenario: Scenario) -> None:
    result = _run(scenario)
    assert result.overall == scenario.overall, result.model_dump_json(indent=1)
    for area, status in scenario.areas.items():
        assert result.areas[area].status == status, area  # type: ignore[index]
    text = [result.headline, result.next_step]
    if scenario.code is not None:
        found = [f for a in result.areas.values() for f in a.findings if f.code == scenario.code]
        assert len(found) == 1, _all_codes(result)  # one finding per cause
        finding = found[0]
        if scenario.severity is not None:
            assert finding.severity == scenario.severity
        text += [finding.message, finding.action or ""]
    joined = " ".join(text)
    for word in scenario.words:
        assert word in joined, f"{word!r} not in {joined!r}"
    for code in scenario.absent:
        assert code not in _all_codes(result)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_every_problem_says_what_to_do_and_the_verdict_speaks(scenario: Scenario) -> None:
    result = _run(scenario)
    for area in result.areas.values():
        for finding in area.findings:
            if finding.severity != "info":
                assert finding.action and finding.action.endswith("."), finding
    assert result.headline.endswith((".", "…")) and "\n" not in result.headline
    assert not result.headline.endswith(("e.g.", "i.e."))  # a whole sentence, not cut at "e.g."
    assert result.next_step.endswith(".") and result.next_step
    if result.overall != "good":
        assert "Healthy" not in result.headline


def test_the_bad_finding_leads_the_headline_and_its_action_is_the_next_step() -> None:
    result = assess(parse(with_events(permission("AUDIO", "DENIED"))))
    denied = result.areas["device"].findings[0]
    assert denied.code == "device.permission_denied"
    assert result.headline.startswith("The microphone could not be used")
    assert result.next_step == denied.action


def test_requested_peer_id_is_kept_when_the_report_names_another() -> None:
    doc = healthy()
    result = assess(parse(doc), peer_id=REQUESTED)
    assert result.peer_id == REQUESTED
    assert result.participant_id == doc["id"] != REQUESTED
    same = assess(parse(doc), peer_id=doc["id"])
    assert same.peer_id == doc["id"] and same.participant_id is None
    plain = assess(parse(doc))
    assert plain.peer_id == doc["id"] and plain.participant_id is None


def test_an_ice_restart_on_its_own_is_still_reported() -> None:
    result = assess(parse(with_events(event("reconnect_attempt", 60), event("ice_restart", 400))))
    codes = _all_codes(result)
    assert codes.count("network.reconnects") == 1 and codes.count("network.ice_restarts") == 1


_NAMES = [
    "media_permission",
    "audio_play_failed",
    "video_play_failed",
    "audio_track_muted",
    "video_track_muted",
    "tab_change",
    "browser_backgrounded",
    "browser_foregrounded",
    "ivs_player_rebuffering",
    "ivs_player_network_unavailable",
    "ivs_player_error",
    "ivs_player_recoverable_error",
    "ivs_player_audio_blocked",
    "ivs_player_playback_blocked",
    "reconnect_attempt",
    "ice_restart",
    "mediaPermission",
    "",
]
_KEYS = ["deviceType", "device_type", "permission", "isMeetingsTabActive", "message", "x"]
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=True),
    st.sampled_from(["AUDIO", "video", "SCREEN_SHARE", "DENIED", "system-denied", "ACCEPTED"]),
    st.text(max_size=12),
)
_EVENTS = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.sampled_from(_NAMES),
            "timestamp": st.one_of(
                st.none(),
                st.sampled_from(["garbage", "2026-11-24T14:03:00Z"]),
                st.integers(0, 900).map(lambda s: f"2026-11-24T14:{s // 60:02d}:{s % 60:02d}Z"),
            ),
            "metadata": st.one_of(
                st.none(), st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=3)
            ),
        }
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(_EVENTS)
def test_any_event_log_gives_documented_findings_with_actions(events: list[Json]) -> None:
    result = assess(parse(with_events(*events)))
    assert result.overall in ("good", "fair", "poor")  # the call itself was measured
    for area in result.areas.values():
        for finding in area.findings:
            assert CODES[finding.code].area == finding.code.split(".")[0]
            if finding.severity != "info":
                assert finding.action
    assert result.headline and result.next_step
