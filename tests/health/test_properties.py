"""Property tests: any report the wire models accept is assessed; verdicts are monotonic."""

from __future__ import annotations

import types
import typing
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from bot.health import CODES, assess
from bot.health.model import STATUS_RANK
from bot.realtimekit.models import Participant
from tests.health.factory import healthy, pair, parse, samples

STRINGS = st.sampled_from(
    [
        "",
        "relay",
        "host",
        "srflx",
        "prflx",
        "udp",
        "tcp",
        "tls",
        "turn:t.example.com:3478?transport=tcp",
        "turns:t.example.com:443",
        "cpu",
        "bandwidth",
        "none",
        "other",
        "PEER_JOINING",
        "PEER_LEAVING",
        "PEER_CREATED",
        "reconnecting",
        "ice_restart",
        "cellular",
        "vpn",
        "2g",
        "3g",
        "Android",
        "iOS",
        "macOS",
        "10.14",
        "10",
        "Chrome",
        "Safari",
        "dyte-web-core",
        "@cloudflare/realtimekit",
        "1.2.3",
        "audioinput",
        "videoinput",
        "2026-11-24T14:00:00Z",
        "2026-11-24T14:05:00.123Z",
        "2026-11-24T18:00:00+02:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "not a time",
        "1764000000000",
    ]
)
NUMBERS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-10, max_value=1e4, allow_nan=False),
    st.integers(min_value=-(10**6), max_value=10**15),
    st.sampled_from([0, 0.5, 1, 4.0, 5, 100, 1e300, -1e300]),
)
JSON = st.recursive(
    st.none() | st.booleans() | NUMBERS | STRINGS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(STRINGS, inner, max_size=4),
    max_leaves=10,
)


def _strategy(annotation: Any, depth: int) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:  # the models' ranged numbers: ``Annotated[float, Field(…)]``
        return _strategy(args[0], depth)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(_strategy(a, depth) for a in args))
    if annotation is type(None):
        return st.none()
    if annotation is float:
        return NUMBERS
    if annotation is str:
        return STRINGS
    if annotation is bool:
        return st.booleans()
    if origin is list:
        return st.lists(_strategy(args[0], depth + 1), max_size=4 if depth < 2 else 30)
    if origin is dict:
        return st.dictionaries(STRINGS, st.none() | st.booleans() | NUMBERS | STRINGS, max_size=4)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_dicts(annotation, depth + 1)
    raise TypeError(annotation)


def model_dicts(model: type[BaseModel], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts with any subset of the model's real (aliased) keys."""
    optional = {
        (field.alias or name): _strategy(field.annotation, depth)
        for name, field in model.model_fields.items()
    }
    return st.fixed_dictionaries({}, optional=optional)


def _with_extras(doc: dict[str, Any], extra: Any) -> dict[str, Any]:
    metadata = (doc.get("peer_report") or {}).get("metadata")
    if isinstance(metadata, dict):
        metadata["precall_network_information"] = extra
    return doc


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(model_dicts(Participant), JSON)
def test_any_accepted_report_gives_a_valid_assessment(doc: dict[str, Any], extra: Any) -> None:
    try:
        participant = Participant.model_validate(_with_extras(doc, extra))
    except ValidationError:
        assume(False)
        return
    result = assess(participant, app_id="app")
    again = assess(participant, app_id="app")
    assert result == again  # deterministic
    # Issue 13: poor/fair when any area is; good only when all three are known and good;
    # otherwise unknown (it used to be the worst known area, green on missing data).
    statuses = [a.status for a in result.areas.values()]
    bad = [s for s in statuses if s in ("fair", "poor")]
    if bad:
        expected = max(bad, key=STATUS_RANK.__getitem__)
    else:
        expected = "good" if statuses == ["good"] * 3 else "unknown"
    assert result.overall == expected
    for area in result.areas.values():
        assert area.summary
        for finding in area.findings:
            assert finding.code in CODES
            assert finding.message and "nan" not in finding.message.lower().split()
        for value in area.metrics.values():
            assert value is not None
            if isinstance(value, float):
                assert value == value and abs(value) != float("inf")
    result.model_dump_json()


def _rank(status: str) -> int:
    return STATUS_RANK[status]  # type: ignore[index]


TRACK_KEYS = st.sampled_from(
    [
        "audio_producer",
        "audio_consumer",
        "video_producer",
        "video_consumer",
        "screenshare_video_consumer",
        "screenshare_audio_producer",
    ]
)


@settings(max_examples=150, deadline=None)
@given(TRACK_KEYS, st.floats(0, 100), st.floats(0, 100))
def test_quality_status_is_monotonic_in_cumulative_loss(key: str, a: float, b: float) -> None:
    low, high = sorted((a, b))

    def status(loss: float) -> tuple[int, int]:
        doc = healthy(1)
        doc["peer_report"]["quality"][f"{key}_cumulative"] = {"packet_loss": {"avg": loss}}
        result = assess(parse(doc))
        return _rank(result.areas["quality"].status), _rank(result.overall)

    assert status(low) <= status(high)


@settings(max_examples=150, deadline=None)
@given(st.floats(0, 5000), st.floats(0, 5000))
def test_quality_status_is_monotonic_in_media_rtt(a: float, b: float) -> None:
    low, high = sorted((a, b))

    def status(rtt: float) -> int:
        doc = healthy(1)
        doc["peer_report"]["quality"]["audio_producer_cumulative"]["rtt"] = {"avg": rtt}
        return _rank(assess(parse(doc)).areas["quality"].status)

    assert status(low) <= status(high)


@settings(max_examples=150, deadline=None)
@given(st.floats(0, 4.99), st.floats(0, 4.99), st.sampled_from(["relay", "srflx"]))
def test_network_status_is_monotonic_in_pair_rtt_seconds(a: float, b: float, ctype: str) -> None:
    low, high = sorted((a, b))

    def status(rtt: float) -> int:
        doc = healthy(1)
        pairs = doc["peer_report"]["metadata"]["candidate_pairs"]
        pairs["producing_transport"] = [pair(ctype, "tcp", rtt_s=rtt)]
        return _rank(assess(parse(doc)).areas["network"].status)

    assert status(low) <= status(high)


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 60), st.floats(0, 60))
def test_status_is_monotonic_in_per_sample_loss(a: float, b: float) -> None:
    low, high = sorted((a, b))

    def status(loss: float) -> int:
        quality = {"video_consumer": samples("video_consumer", minutes=2, loss=lambda m: loss)}
        return _rank(assess(parse({"peer_report": {"quality": quality}})).areas["quality"].status)

    assert status(low) <= status(high)


def test_timestamps_at_the_edges_of_time() -> None:
    when = datetime(1, 1, 1, tzinfo=UTC).isoformat()
    rows = samples("audio_consumer", minutes=1)
    for row in rows:
        row["timestamp"] = when
    result = assess(
        parse({"peer_report": {"quality": {"audio_consumer": rows}}, "joined_at": when})
    )
    assert result.areas["quality"].status == "good"
