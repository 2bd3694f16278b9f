"""Scenario reports an experienced WebRTC engineer would judge: quality verdicts (issue 13).

Each row builds a report with the factory and says what an expert expects of the quality area:
its status, the key finding code (or that a code is absent) and the words the finding must use.
Everything goes through the public ``assess()``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.health import CODES, Assessment, assess
from bot.health.model import STATUS_RANK
from bot.health.units import MILLISECONDS, SECONDS, closer_scale
from bot.realtimekit.models import parse_participant
from tests.health.factory import (
    between,
    const,
    healthy,
    latency_cum,
    loss_cum,
    mos_cum,
    parse,
    samples,
)

Json = dict[str, Any]
EXAMPLE = Path(__file__).parent / "data" / "cloudflare_api_example.json"
ALICE, BOB, CAROL = "peer-alice", "peer-bob", "peer-carol"


def only(quality: Json, minutes: int = 10) -> Json:
    """A report whose quality section is exactly ``quality`` (healthy metadata)."""
    doc = healthy(minutes)
    doc["peer_report"]["quality"] = quality
    return doc


def sent(minutes: int = 10, loss: float = 0.1, **kw: Any) -> Json:
    """Audio and camera video this participant sent."""
    return {
        "audio_producer": samples("audio_producer", minutes=minutes, loss=const(loss), **kw),
        "video_producer": samples(
            "video_producer", minutes=minutes, loss=const(loss), pps=300, **kw
        ),
    }


def received(peers: dict[str, float], minutes: int = 10) -> Json:
    """Audio and video received from each peer, with that peer's loss percent."""
    audio: list[Json] = []
    video: list[Json] = []
    for i, (peer, loss) in enumerate(peers.items()):
        audio += samples(
            "audio_consumer",
            minutes=minutes,
            loss=const(loss),
            peer=peer,
            producer_id=f"{peer}-mic",
            ident=f"c-a{i}",
            ssrc=100 + i,
        )
        video += samples(
            "video_consumer",
            minutes=minutes,
            loss=const(loss),
            pps=300,
            peer=peer,
            producer_id=f"{peer}-cam",
            ident=f"c-v{i}",
            ssrc=200 + i,
        )
    return {"audio_consumer": audio, "video_consumer": video}


def set_field(rows: list[Json], name: str, value: Callable[[int], float]) -> list[Json]:
    for i, row in enumerate(rows):
        row[name] = value(i)
    return rows


def cloudflare_doc_example() -> Json:
    doc: Json = json.loads(EXAMPLE.read_text())
    return doc


def forty_second_ramp() -> Json:
    # Bandwidth estimation ramps the camera from 320 px to 1280 px over the first half minute.
    rows = samples("video_producer", seconds=40, pps=300)
    set_field(rows, "frame_width", lambda i: min(1280.0, 320.0 + i * 160.0))
    return only({"video_producer": rows, **{k: v for k, v in sent().items() if "audio" in k}})


def simulcast() -> Json:
    layers = [
        samples("video_producer", pps=100, width=const(w), ident="cam", ssrc=s)
        for w, s in ((320.0, 11), (640.0, 12), (1280.0, 13))
    ]
    rows = sorted((r for layer in layers for r in layer), key=lambda r: str(r["timestamp"]))
    consumer = samples("video_consumer", pps=300, width=between(5, 10, 640.0, 1280.0), peer=BOB)
    return only(
        {
            "video_producer": rows,
            "video_consumer": consumer,
            "audio_producer": sent()["audio_producer"],
        }
    )


def webinar_viewer() -> Json:
    return only(received({ALICE: 0.1}, minutes=30), minutes=30)


def one_lossy_sender() -> Json:
    return only({**sent(), **received({ALICE: 0.1, BOB: 6.0, CAROL: 0.2})})


def lossy_downlink() -> Json:
    return only({**sent(), **received({ALICE: 5.0, BOB: 6.0, CAROL: 4.5})})


def lossy_both_ways() -> Json:
    return only({**sent(loss=5.0), **received({ALICE: 5.0, BOB: 6.0})})


def lossy_uplink() -> Json:
    return only({**sent(loss=5.0), **received({ALICE: 0.1, BOB: 0.2})})


def lossy_uplink_and_one_sender() -> Json:
    return only({**sent(loss=5.0), **received({ALICE: 0.1, BOB: 6.0})})


def only_sender_lossy() -> Json:
    return only({**sent(), **received({ALICE: 6.0})})


def geo_satellite() -> Json:
    quality = {**sent(rtt_s=const(0.63)), **received({ALICE: 0.1})}
    quality["audio_producer_cumulative"] = {
        "rtt": latency_cum(630.0, 1.0, 1.0, 1.0),
        "packet_loss": loss_cum(0.1),
        "quality_mos": mos_cum(4.1),
    }
    return only(quality)


def paused_consumer() -> Json:
    # The viewer paused the remote audio for minutes 3..8: the jitter-buffer counters stop.
    rows = samples("audio_consumer", peer=ALICE, playing=lambda m: not 3 <= m < 8)
    return only({"audio_consumer": rows, **sent()})


def healthy_small_jitter() -> Json:
    quality = {**sent(), **received({ALICE: 0.1})}
    for key in ("audio_producer", "audio_consumer"):
        set_field(quality[key], "jitter", lambda i: 0.002 + (i % 3) * 0.001)
    return only(quality)


def healthy_jitter_in_ms() -> Json:
    # A client that wrote jitter in ms (2-4): 2-4 s of jitter is physically implausible, so the
    # track's jitter is read in ms (not "jitter 2726 ms"), even where the RTT / jitter-buffer
    # summaries confirm that the other latencies of the track are seconds.
    quality = {**sent(), **received({ALICE: 0.1})}
    quality["audio_producer_cumulative"] = {"rtt": latency_cum(40.0)}
    quality["audio_consumer_cumulative"] = {"jitter_buffer_delay": latency_cum(40.0)}
    for key in ("audio_producer", "audio_consumer", "video_producer", "video_consumer"):
        set_field(quality[key], "jitter", lambda i: 2.0 + (i % 3))
    return only(quality)


def screen_share(fps: float, width: float) -> Json:
    rows = samples("screenshare_video_producer", fps=const(fps), width=const(width), pps=100)
    return only({"screenshare_video_producer": rows, **sent()})


def startup_ramp() -> Json:
    # The encoder is bandwidth-limited while the estimator probes (first 25 s), never after.
    rows = samples("video_producer", pps=300, minutes=2, interval=5)
    for i, row in enumerate(rows):
        reason = "bandwidth" if i * 5 < 25 else "none"
        row["quality_limitation_reason"] = reason
        row["quality_limitation_durations"] = {
            "bandwidth": float(min(i * 5, 25)),
            "none": float(max(0, i * 5 - 25)),
            "cpu": 0.0,
            "other": 0.0,
        }
    issues = {"bandwidth_quality_limitation_fraction": 0.21, "quality_limitation_fraction": 0.21}
    return only(
        {
            "video_producer": rows,
            "video_producer_cumulative": {"issues": issues},
            "audio_producer": samples("audio_producer", minutes=2),
        },
        minutes=2,
    )


def video_with_audio_style_jitter() -> Json:
    # 60 ms jitter and 300 ms jitter buffer on VIDEO are not audio faults.
    rows = samples("video_consumer", pps=300, jitter_s=const(0.06), jb_s=const(0.3), peer=ALICE)
    return only({"video_consumer": rows, **sent()})


def audio_mos_poor_video_mos_zero() -> Json:
    quality = {**sent(), **received({ALICE: 0.1})}
    quality["audio_consumer_cumulative"] = {"quality_mos": mos_cum(3.2)}
    quality["audio_producer_cumulative"] = {"quality_mos": mos_cum(3.4)}
    quality["video_consumer_cumulative"] = {"quality_mos": mos_cum(0.0)}
    set_field(quality["video_consumer"], "mos_quality", lambda i: 0.0)
    return only(quality)


def ms_samples_with_matching_summary() -> Json:
    quality = {"audio_producer": samples("audio_producer", rtt_s=const(42.0))}
    quality["audio_producer_cumulative"] = {"rtt": latency_cum(40.0)}
    return only(quality)


def absurd_values() -> Json:
    rows = samples("audio_consumer", peer=ALICE)
    set_field(rows, "mos_quality", lambda i: 7.0)
    set_field(rows, "packets_lost", lambda i: -5.0)
    set_field(rows, "jitter", lambda i: 1e9)  # absurd in seconds and in ms
    set_field(rows, "jitter_buffer_delay", lambda i: -1.0)
    cumulative = {
        "packet_loss": {"avg": 250.0},
        "quality_mos": {"avg": 0.0},
        "jitter_buffer_delay": {"avg": 0.0},
    }
    return only({"audio_consumer": rows, "audio_consumer_cumulative": cumulative})


def received_layer_switch() -> Json:
    rows = samples("video_consumer", pps=300, width=between(3, 10, 320.0, 1280.0), peer=ALICE)
    return only({"video_consumer": rows, **sent()})


def cpu_limited_sender() -> Json:
    quality = {**sent(), **received({ALICE: 0.1})}
    quality["video_producer"] = samples(
        "video_producer",
        pps=300,
        reason=lambda m: "cpu" if m >= 2 else "none",
        width=between(2, 10, 480.0, 1280.0),
        fps=between(2, 10, 12.0, 30.0),
    )
    return only(quality)


def frozen_received_video() -> Json:
    # Packets keep arriving from Alice but no frame is decoded in minutes 4..7 (frozen picture).
    rows = samples("video_consumer", pps=300, peer=ALICE)
    decoded = 0.0
    for i, row in enumerate(rows):
        if i and not 4 <= (i * 5) // 60 < 7:
            decoded += 150.0
        row["frames_decoded"] = decoded
    return only({"video_consumer": rows, **sent()})


def only_nulls() -> Json:
    # Every track present, every value null (what a filter or an old client can leave).
    quality: Json = {}
    for key in ("audio_producer", "audio_consumer", "video_producer", "video_consumer"):
        quality[key] = [
            {"timestamp": row["timestamp"], "mos_quality": None, "jitter": None}
            for row in samples(key, minutes=2)
        ]
        quality[f"{key}_cumulative"] = {"packet_loss": {"avg": None}, "quality_mos": None}
    return only(quality, 2)


def one_sender_summary_only() -> Json:
    # A 1:1 call whose received samples name the sender but carry no packet counters; only
    # the summaries say the received media was lossy.
    quality = {**sent(), **received({ALICE: 0.1})}
    for key in ("audio_consumer", "video_consumer"):
        for row in quality[key]:
            del row["packets_lost"], row["packets_received"]
    quality["video_consumer_cumulative"] = {"packet_loss": loss_cum(5.5)}
    return only(quality)


def audio_only_room() -> Json:
    return only(
        {
            "audio_producer": samples("audio_producer"),
            "audio_consumer": samples("audio_consumer", peer=ALICE)
            + samples("audio_consumer", peer=BOB, ident="c2", ssrc=7),
        }
    )


def audio_jitter_buffer_high() -> Json:
    rows = samples("audio_consumer", peer=ALICE, jitter_s=const(0.06), jb_s=const(0.25))
    return only({"audio_consumer": rows, **sent()})


def long_audio_path() -> Json:
    # 260 ms round trip is within budget alone; with a 90 ms audio jitter buffer this leg of
    # the mouth-to-ear delay is ~220 ms one way.
    rows = samples("audio_consumer", peer=ALICE, jb_s=const(0.09))
    return only({"audio_consumer": rows, **sent(rtt_s=const(0.26))})


def zeros_in_samples() -> Json:
    rows = samples("video_consumer", pps=0.0, peer=ALICE)
    for name in ("mos_quality", "jitter", "frames_per_second", "frame_width"):
        set_field(rows, name, lambda i: 0.0)
    return only({"video_consumer": rows})


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], Json]
    status: str
    code: str | None  # the key finding; None = no warning/critical finding at all
    words: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    peer_ids: tuple[str, ...] = ()
    check: Callable[[Assessment], None] | None = field(default=None)


def _no_critical_anywhere(result: Assessment) -> None:
    assert not [f for a in result.areas.values() for f in a.findings if f.severity == "critical"]


def _webinar(result: Assessment) -> None:
    assert result.uplink_loss_pct is None  # a receive-only viewer sends nothing
    assert [s.peer_id for s in result.received_from] == [ALICE]
    assert result.received_from[0].media == ("audio", "video")


def _one_sender(result: Assessment) -> None:
    bob = next(s for s in result.received_from if s.peer_id == BOB)
    assert bob.lossy and bob.media == ("audio", "video")
    assert [s.peer_id for s in result.received_from if s.lossy] == [BOB]
    assert result.uplink_loss_pct is not None and result.uplink_loss_pct < 1


def _two_causes(result: Assessment) -> None:
    found = {f.code: f for f in result.areas["quality"].findings}
    assert "quality.connection_loss" not in found  # Alice's media arrived clean
    assert found["quality.sender_loss"].peer_ids == (BOB,)


def _summary_sender(result: Assessment) -> None:
    (alice,) = result.received_from
    assert alice.peer_id == ALICE and alice.lossy and alice.packets == 0  # no counters


def _two_senders(result: Assessment) -> None:
    assert sorted(s.peer_id for s in result.received_from) == [ALICE, BOB]
    assert result.areas["quality"].summary.startswith("Healthy on 2 tracks: audio MOS 4.3")


def _one_delay_finding(result: Assessment) -> None:
    codes = {f.code for f in result.areas["quality"].findings}
    delay = {"quality.rtt_high", "quality.jitter_high", "quality.jitter_buffer_high"}
    delay |= {"quality.latency_high"}
    assert len(codes & delay) == 1, codes


def _jitter_small(result: Assessment) -> None:
    jitter = float(result.areas["quality"].metrics["jitter_avg_ms"])  # type: ignore[arg-type]
    assert 2.0 <= jitter <= 4.0


def _paused(result: Assessment) -> None:
    jb = float(result.areas["quality"].metrics["audio_consumer_jitter_buffer_avg_ms"])  # type: ignore[arg-type]
    assert abs(jb - 40.0) < 1.0  # the factory's 40 ms, with the paused minutes left out


def _ms_units(result: Assessment) -> None:
    metrics = result.areas["quality"].metrics
    assert metrics["audio_producer_units"] == "ms"
    assert metrics["rtt_avg_ms"] == 40.0


def _startup(result: Assessment) -> None:
    network = result.areas["network"]
    assert network.status != "poor"
    assert not [f for f in network.findings if f.code == "network.bandwidth_limited"]


def _cpu(result: Assessment) -> None:
    assert "device.cpu_limited" in {f.code for f in result.areas["device"].findings}
    quality_codes = [f.code for f in result.areas["quality"].findings]
    assert quality_codes.count("quality.encoder_limited") == 1
    assert "quality.video_fps_low" not in quality_codes


def _one_mos(result: Assessment) -> None:
    codes = [f.code for f in result.areas["quality"].findings]
    assert codes.count("quality.audio_mos_low") == 1
    assert not {"quality.video_mos_low", "quality.screenshare_mos_low"} & set(codes)


CASES = [
    Case(
        "cloudflare API document example (every number 0)",
        cloudflare_doc_example,
        "unknown",
        None,
        ("not measured",),
        absent=("MOS 0.0", "0 kbps"),
        check=_no_critical_anywhere,
    ),
    Case("40-second call ramping up from 320 px", forty_second_ramp, "good", None),
    Case("simulcast layers and a received layer switch", simulcast, "good", None),
    Case("receive-only webinar viewer", webinar_viewer, "good", None, check=_webinar),
    Case(
        "one lossy remote sender (audio and video of the same sender)",
        one_lossy_sender,
        # Fair, not poor: the other senders arrived clean, so nothing is wrong on this side;
        # the poor verdict belongs on the sender's own report (and the whole-call blame).
        "fair",
        "quality.sender_loss",
        ("Received media from peer-bob", "look at that peer's report", "audio and video"),
        peer_ids=(BOB,),
        check=_one_sender,
    ),
    Case(
        "lossy downlink (every sender)",
        lossy_downlink,
        "poor",
        "quality.downlink_loss",
        ("every sender (3 of 3)", "download", "upload was clean"),
    ),
    Case(
        "lossy both ways",
        lossy_both_ways,
        "poor",
        "quality.connection_loss",
        ("both ways", "common factor"),
    ),
    Case(
        "lossy uplink only",
        lossy_uplink,
        "poor",
        "quality.uplink_loss",
        ("their upload", "what they received was clean"),
    ),
    Case(
        "lossy uplink and, separately, one lossy sender of two",
        lossy_uplink_and_one_sender,
        "poor",
        "quality.uplink_loss",
        ("their upload",),
        check=_two_causes,
    ),
    Case(
        "the only remote sender is lossy",
        only_sender_lossy,
        "poor",
        "quality.sender_loss",
        ("peer-alice", "only sender", "cannot be ruled out"),
        peer_ids=(ALICE,),
    ),
    Case(
        "GEO satellite link: 630 ms, no loss",
        geo_satellite,
        "fair",
        "quality.rtt_high",
        ("630 ms", "talk over each other", "media still flows"),
        check=_no_critical_anywhere,
    ),
    Case(
        "paused consumer: jitter-buffer counters stop",
        paused_consumer,
        "good",
        None,
        absent=("jitter buffer",),
        check=_paused,
    ),
    Case(
        "healthy call, per-sample jitter 0.002-0.004 s",
        healthy_small_jitter,
        "good",
        None,
        check=_jitter_small,
    ),
    Case(
        "healthy call, per-sample jitter 2-4 written in ms",
        healthy_jitter_in_ms,
        "good",
        None,
        check=_jitter_small,
    ),
    Case("screen share at 5 fps", lambda: screen_share(5.0, 1920.0), "good", None),
    Case(
        "screen share at 640 px",
        lambda: screen_share(5.0, 640.0),
        "fair",
        "quality.screenshare_resolution_low",
        ("640 px", "720 px"),
    ),
    Case(
        "start-up bandwidth ramp",
        startup_ramp,
        "good",
        None,
        absent=("bandwidth",),
        check=_startup,
    ),
    Case(
        "video jitter and jitter buffer are not judged by audio rules",
        video_with_audio_style_jitter,
        "good",
        None,
    ),
    Case(
        "audio MOS poor, video MOS 0 (not measured)",
        audio_mos_poor_video_mos_zero,
        "poor",
        "quality.audio_mos_low",
        ("Received audio", "3.2 out of 5", "ITU-T G.107"),
        check=_one_mos,
    ),
    Case(
        "per-sample ms recognised against the summary",
        ms_samples_with_matching_summary,
        "good",
        None,
        check=_ms_units,
    ),
    Case(
        "absurd values are not measured",
        absurd_values,
        "unknown",
        None,
        absent=("MOS 7", "250%"),
    ),
    Case("received resolution change alone", received_layer_switch, "good", None),
    Case(
        "CPU-limited sender: one cause, judged under device",
        cpu_limited_sender,
        "good",
        None,
        ("judged under device",),
        check=_cpu,
    ),
    Case("zeros in samples are not measured", zeros_in_samples, "unknown", None),
    Case("a report with only nulls", only_nulls, "unknown", None, ("not measured",)),
    Case(
        "one sender, loss only in the summaries",
        one_sender_summary_only,
        "poor",
        "quality.sender_loss",
        ("peer-alice", "5.5%", "only sender"),
        peer_ids=(ALICE,),
        check=_summary_sender,
    ),
    Case("audio-only room, two speakers", audio_only_room, "good", None, check=_two_senders),
    Case(
        "audio jitter buffer 250 ms from 60 ms jitter: one finding",
        audio_jitter_buffer_high,
        "poor",
        "quality.jitter_buffer_high",
        ("250 ms", "jitter averaged 60 ms"),
        check=_one_delay_finding,
    ),
    Case(
        "mouth-to-ear from the audio path's parts",
        long_audio_path,
        "fair",
        "quality.latency_high",
        ("220 ms", "260 ms audio round trip", "90 ms of audio jitter buffer"),
        check=_one_delay_finding,
    ),
    Case(
        "received video frozen while packets arrive",
        frozen_received_video,
        "poor",
        "quality.video_lag",
        ("froze", "for 3 of 11 minutes, worst stretch 14:04–14:07 UTC"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_expert_scenario(case: Case) -> None:
    doc = case.build()
    if "data" in doc:
        result = assess(parse_participant(json.dumps(doc).encode()))
    else:
        result = assess(parse(doc))
    quality = result.areas["quality"]
    text = " ".join([quality.summary, *(f.message for f in quality.findings)])
    serious = [f for f in quality.findings if f.severity != "info"]
    assert quality.status == case.status, result.model_dump_json(indent=1)
    if case.code is None:
        assert not serious, [f.message for f in serious]
    else:
        assert serious and serious[0].code == case.code, [f.code for f in quality.findings]
        key = serious[0]
        assert key.action, "every warning/critical finding says what to do"
        for word in case.words:
            assert word in key.message, (word, key.message)
        if case.peer_ids:
            assert key.peer_ids == case.peer_ids
    if case.code is None:
        for word in case.words:
            assert word in text, (word, text)
    for word in case.absent:
        assert word not in text, (word, text)
    for finding in quality.findings:
        if finding.severity != "info":
            assert finding.action
        assert finding.severity in CODES[finding.code].severities.split("|"), finding.code
    codes = [f.code for f in quality.findings]
    assert len(codes) == len(set(codes)), f"one finding per cause: {codes}"
    if case.check is not None:
        case.check(result)


def test_there_are_enough_expert_scenarios() -> None:
    assert len(CASES) >= 16


# --- properties -------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.floats(1e-4, 10.0),
    st.floats(1.0, 5000.0),
    st.floats(1e-3, 1e3),
)
def test_unit_decision_is_stable_under_scaling(raw: float, avg: float, factor: float) -> None:
    assert closer_scale(raw, avg) == closer_scale(raw * factor, avg * factor)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.005, 2.0), st.sampled_from([0.5, 1.0, 2.0, 4.0]))
def test_a_seconds_track_stays_seconds_when_scaled(rtt_s: float, factor: float) -> None:
    """Per-sample seconds with a matching ms summary are read as seconds at any scale."""
    value = rtt_s * factor
    quality = {
        "audio_producer": samples("audio_producer", minutes=1, rtt_s=const(value)),
        "audio_producer_cumulative": {"rtt": latency_cum(value * 1000.0)},
    }
    metrics = assess(parse(only(quality, 1))).areas["quality"].metrics
    assert metrics["audio_producer_units"] == "s"
    assert closer_scale(value, value * 1000.0) == SECONDS
    assert closer_scale(value * 1000.0, value * 1000.0) == MILLISECONDS


def _quality_rank(doc: Json) -> int:
    return STATUS_RANK[assess(parse(doc)).areas["quality"].status]


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 40), st.floats(0, 40))
def test_monotonic_in_one_senders_loss(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert _quality_rank(only({**sent(2), **received({ALICE: 0.1, BOB: low}, 2)}, 2)) <= (
        _quality_rank(only({**sent(2), **received({ALICE: 0.1, BOB: high}, 2)}, 2))
    )


@settings(max_examples=40, deadline=None)
@given(st.floats(0.001, 3.0), st.floats(0.001, 3.0))
def test_monotonic_in_per_sample_rtt(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert _quality_rank(only(sent(2, rtt_s=const(low)), 2)) <= _quality_rank(
        only(sent(2, rtt_s=const(high)), 2)
    )


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "rtt": st.floats(allow_nan=True, allow_infinity=True),
                "jitter": st.floats(allow_nan=True, allow_infinity=True),
                "mos_quality": st.floats(allow_nan=True, allow_infinity=True),
                "packets_lost": st.floats(allow_nan=True, allow_infinity=True),
                "packets_sent": st.floats(allow_nan=True, allow_infinity=True),
                "producer_id": st.sampled_from(["a", "b"]),
                "ssrc": st.integers(0, 3),
                "timestamp": st.sampled_from(["2026-11-24T14:00:00Z", "2026-11-24T14:00:40Z"]),
            },
        ),
        max_size=12,
    ),
    st.floats(allow_nan=True, allow_infinity=True),
)
def test_no_crash_on_any_sample_numbers(rows: list[Json], avg: float) -> None:
    quality = {"audio_producer": rows, "audio_producer_cumulative": {"rtt": {"avg": avg}}}
    result = assess(parse(only(quality, 1)))
    assert result.areas["quality"].status in ("good", "fair", "poor", "unknown")
    result.model_dump_json()
