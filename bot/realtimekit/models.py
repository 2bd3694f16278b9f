"""Wire models of the peer-report response.

Every field is optional and unknown fields are kept (``extra="allow"``): the API grows and the
assessment, not the parser, decides what "unknown" means. Enumerations are plain strings so a
new value never breaks parsing; the known values are listed as constants next to the field.
Numbers are floats (the schema says ``number``; older reports sent ints).

Keys that start with a digit (``10_or_greater_event_fraction``) are aliased to ``ge_10_…``.
Aliases are matched by alias only: an unknown key spelled like a Python field name (``ge_5``)
stays an unknown key and can never shadow the documented one.

This is the one boundary where numbers from the wire become domain values. A number that is
not finite (JSON allows ``1e400``, which parses to infinity) or beyond any physical meaning
(MOS outside 1–5, loss outside 0–100 %, a share outside 0–1, a negative counter, a latency
over a minute, anything beyond ±10¹⁵) becomes ``None`` ("not measured") and is listed in
:attr:`Participant.not_measured`; nothing downstream ever does arithmetic on it. A MOS of
exactly 0 is the SDK's own "not measured" and becomes ``None`` without a note.

Unknown keys are kept (``model_extra``, the raw view) but are not attributes: ``getattr`` on a
model never returns one, so no renderer or rule can read an unknown key by name.
"""

from __future__ import annotations

import contextlib
import gc
import json
import math
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

__all__ = [
    "AudioConsumerCumulative",
    "AudioConsumerSample",
    "AudioProducerCumulative",
    "AudioProducerSample",
    "BrowserMetadata",
    "CandidatePair",
    "CandidatePairs",
    "Device",
    "DeviceInfo",
    "DeviceUpdate",
    "Envelope",
    "IPInformation",
    "LatencyCumulative",
    "NoParticipantInReport",
    "PacketLossCumulative",
    "Participant",
    "PcMetadata",
    "PeerEvent",
    "PeerReport",
    "PercentileStats",
    "Quality",
    "ReportEvent",
    "ReportMetadata",
    "ReportParseError",
    "VideoConsumerCumulative",
    "VideoConsumerSample",
    "VideoProducerCumulative",
    "VideoProducerSample",
    "collecting_not_measured",
    "parse_participant",
]

PEER_EVENT_NAMES = ("PEER_CREATED", "PEER_JOINING", "PEER_LEAVING")
PRESET_VIEW_TYPES = ("GROUP_CALL", "WEBINAR", "AUDIO_ROOM", "LIVESTREAM", "CHAT")
QUALITY_LIMITATION_REASONS = ("cpu", "bandwidth", "none", "other")


#: Beyond this magnitude no number in a peer report has a physical meaning (a petabyte).
ABSURD = 1e15
#: Values the boundary turned into "not measured" while one participant was parsed.
_NOTES: ContextVar[list[str] | None] = ContextVar("not_measured_notes", default=None)
#: At most this many notes are kept per participant (the count is always exact).
MAX_NOTES = 20


def _fmt_wire_number(value: float) -> str:
    text = repr(value) if isinstance(value, float) else str(value)
    return text if len(text) <= 12 else f"{float(value):.3g}"


@contextlib.contextmanager
def collecting_not_measured() -> Iterator[None]:
    """Within this block, a parsed :class:`Participant` lists the numbers it refused."""
    token = _NOTES.set([])
    try:
        yield
    finally:
        _NOTES.reset(token)


def _not_measured(value: Any, info: ValidationInfo) -> None:
    """The fallback of every number field: a number out of range is "not measured"."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("not a number")
    notes = _NOTES.get()
    if notes is not None and value != 0:
        try:
            shown = _fmt_wire_number(value)
        except (OverflowError, ValueError):  # an integer too long to print
            shown = "a number too large to print"
        title = str((info.config or {}).get("title", ""))
        what = f"{_WHAT.get(title, '')} {info.field_name or 'value'}".strip()
        notes.append(f"{what} = {shown}")
    return None


#: How a note names the object a refused number sat in (by model class).
_WHAT = {
    "MosStats": "MOS",
    "FpsStats": "frame rate",
    "PixelStats": "frame width",
    "PercentileStats": "stats",
    "PacketLossCumulative": "packet loss",
    "LatencyCumulative": "latency",
}


_NotMeasured = Annotated[None, BeforeValidator(_not_measured)]


def _within(lo: float, hi: float) -> Any:
    return Field(ge=lo, le=hi, allow_inf_nan=False)


# Each is ``float | None`` to mypy; to pydantic a range checked in Rust, with a Python fallback
# that only runs for out-of-range values (and nulls).
Number = Annotated[
    Annotated[float, _within(-ABSURD, ABSURD)] | _NotMeasured, Field(union_mode="left_to_right")
]
Counter = Annotated[
    Annotated[float, _within(0, ABSURD)] | _NotMeasured, Field(union_mode="left_to_right")
]
Mos = Annotated[Annotated[float, _within(1, 5)] | _NotMeasured, Field(union_mode="left_to_right")]
Percent = Annotated[
    Annotated[float, _within(0, 100)] | _NotMeasured, Field(union_mode="left_to_right")
]
Fraction = Annotated[
    Annotated[float, _within(0, 1 + 1e-9)] | _NotMeasured, Field(union_mode="left_to_right")
]
#: A latency in ms, or per-sample in seconds or ms (units vary): at most a minute either way.
Latency = Annotated[
    Annotated[float, _within(0, 60_000)] | _NotMeasured, Field(union_mode="left_to_right")
]
#: W3C candidate-pair RTT, in seconds: at most a minute.
LatencySeconds = Annotated[
    Annotated[float, _within(0, 60)] | _NotMeasured, Field(union_mode="left_to_right")
]
Bitrate = Annotated[
    Annotated[float, _within(0, 1e12)] | _NotMeasured, Field(union_mode="left_to_right")
]
Port = Annotated[
    Annotated[float, _within(0, 65_535)] | _NotMeasured, Field(union_mode="left_to_right")
]
Fps = Annotated[
    Annotated[float, _within(0, 1000)] | _NotMeasured, Field(union_mode="left_to_right")
]
Pixels = Annotated[
    Annotated[float, _within(0, 100_000)] | _NotMeasured, Field(union_mode="left_to_right")
]
#: Call durations in minutes: at most about two years.
Minutes = Annotated[
    Annotated[float, _within(0, 1e6)] | _NotMeasured, Field(union_mode="left_to_right")
]
Cpus = Annotated[
    Annotated[float, _within(0, 100_000)] | _NotMeasured, Field(union_mode="left_to_right")
]


class Wire(BaseModel):
    """Base of every wire model: tolerant of absence and of new fields.

    Aliases by alias only (no ``populate_by_name``): a key is either documented or unknown.
    """

    model_config = ConfigDict(extra="allow", frozen=False)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # Unknown keys live in ``model_extra`` only: never an attribute (see module doc).
            if name.startswith("_"):
                return super().__getattr__(name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


# --- cumulative building blocks -------------------------------------------------------------


class PercentileStats(Wire):
    avg: Number = None
    p50: Number = None
    p75: Number = None
    p90: Number = None


class MosStats(PercentileStats):
    """``quality_mos``: each figure on the 1–5 scale, else not measured."""

    avg: Mos = None
    p50: Mos = None
    p75: Mos = None
    p90: Mos = None


class FpsStats(PercentileStats):
    avg: Fps = None
    p50: Fps = None
    p75: Fps = None
    p90: Fps = None


class PixelStats(PercentileStats):
    avg: Pixels = None
    p50: Pixels = None
    p75: Pixels = None
    p90: Pixels = None


class PacketLossCumulative(Wire):
    """Loss distribution: ``avg`` in percent, ``ge_N`` = share (0..1) of samples with loss ≥ N %."""

    avg: Percent = None
    ge_5: Fraction = Field(default=None, alias="5_or_greater_event_fraction")
    ge_10: Fraction = Field(default=None, alias="10_or_greater_event_fraction")
    ge_25: Fraction = Field(default=None, alias="25_or_greater_event_fraction")
    ge_50: Fraction = Field(default=None, alias="50_or_greater_event_fraction")


class LatencyCumulative(Wire):
    """Latency distribution: ``avg`` in ms, ``ge_N`` = share (0..1) of samples ≥ N ms."""

    avg: Latency = None
    ge_100ms: Fraction = Field(default=None, alias="100ms_or_greater_event_fraction")
    ge_250ms: Fraction = Field(default=None, alias="250ms_or_greater_event_fraction")
    ge_500ms: Fraction = Field(default=None, alias="500ms_or_greater_event_fraction")


class VideoConsumerIssues(Wire):
    lag_fraction: Fraction = None
    no_video_fraction: Fraction = None
    poor_resolution_fraction: Fraction = None


class VideoProducerIssues(Wire):
    bandwidth_quality_limitation_fraction: Fraction = None
    cpu_quality_limitation_fraction: Fraction = None
    no_video_fraction: Fraction = None
    poor_resolution_fraction: Fraction = None
    quality_limitation_fraction: Fraction = None


class _CumulativeBase(Wire):
    packet_loss: PacketLossCumulative | None = None
    quality_mos: MosStats | None = None


class _VideoCumulative(Wire):
    frame_per_second: FpsStats | None = None
    frame_width: PixelStats | None = None


class AudioConsumerCumulative(_CumulativeBase):
    jitter_buffer_delay: LatencyCumulative | None = None


class AudioProducerCumulative(_CumulativeBase):
    rtt: LatencyCumulative | None = None


class VideoConsumerCumulative(AudioConsumerCumulative, _VideoCumulative):
    issues: VideoConsumerIssues | None = None
    key_frames_decoded_fraction: Fraction = None


class VideoProducerCumulative(AudioProducerCumulative, _VideoCumulative):
    high_negative_feedback_fraction: Fraction = None
    issues: VideoProducerIssues | None = None
    key_frames_encoded_fraction: Fraction = None


# --- per-sample stats (getStats-style counters; rtt/jitter units vary, see bot.health) -----


class _Sample(Wire):
    jitter: Latency = None
    mid: str | None = None
    mos_quality: Mos = None
    packets_lost: Number = None
    producer_id: str | None = None
    ssrc: Counter = None
    timestamp: str | None = None


class _ConsumerSample(_Sample):
    """What this peer received."""

    bytes_received: Counter = None
    consumer_id: str | None = None
    jitter_buffer_delay: Counter = None
    jitter_buffer_emitted_count: Counter = None
    packets_received: Counter = None
    peer_id: str | None = None


class _ProducerSample(_Sample):
    """What this peer sent."""

    bytes_sent: Counter = None
    packets_sent: Counter = None
    rtt: Latency = None


class _VideoSample(Wire):
    fir_count: Counter = None
    frame_height: Pixels = None
    frame_width: Pixels = None
    frames_per_second: Fps = None


class AudioConsumerSample(_ConsumerSample):
    concealment_events: Counter = None


class AudioProducerSample(_ProducerSample):
    pass


class VideoConsumerSample(_ConsumerSample, _VideoSample):
    frames_decoded: Counter = None
    frames_dropped: Counter = None
    key_frames_decoded: Counter = None


class QualityLimitationDurations(Wire):
    """Seconds spent in each limitation state (W3C qualityLimitationDurations)."""

    bandwidth: Counter = None
    cpu: Counter = None
    none: Counter = None
    other: Counter = None


class VideoProducerSample(_ProducerSample, _VideoSample):
    frames_encoded: Counter = None
    key_frames_encoded: Counter = None
    pli_count: Counter = None
    quality_limitation_durations: QualityLimitationDurations | None = None
    quality_limitation_reason: str | None = None  # cpu | bandwidth | none | other | (new values)
    quality_limitation_resolution_changes: Counter = None


class Quality(Wire):
    audio_consumer: list[AudioConsumerSample] | None = None
    audio_consumer_cumulative: AudioConsumerCumulative | None = None
    audio_producer: list[AudioProducerSample] | None = None
    audio_producer_cumulative: AudioProducerCumulative | None = None
    screenshare_audio_consumer: list[AudioConsumerSample] | None = None
    screenshare_audio_consumer_cumulative: AudioConsumerCumulative | None = None
    screenshare_audio_producer: list[AudioProducerSample] | None = None
    screenshare_audio_producer_cumulative: AudioProducerCumulative | None = None
    screenshare_video_consumer: list[VideoConsumerSample] | None = None
    screenshare_video_consumer_cumulative: VideoConsumerCumulative | None = None
    screenshare_video_producer: list[VideoProducerSample] | None = None
    screenshare_video_producer_cumulative: VideoProducerCumulative | None = None
    video_consumer: list[VideoConsumerSample] | None = None
    video_consumer_cumulative: VideoConsumerCumulative | None = None
    video_producer: list[VideoProducerSample] | None = None
    video_producer_cumulative: VideoProducerCumulative | None = None


# --- metadata --------------------------------------------------------------------------------


class Device(Wire):
    """A media device (camera, microphone or speaker)."""

    device_id: str | None = None
    kind: str | None = None
    label: str | None = None


class DeviceUpdate(Wire):
    added: list[Device] | None = None
    removed: list[Device] | None = None
    timestamp: str | None = None


class SelectedDeviceUpdate(Wire):
    device: Device | None = None
    timestamp: str | None = None


class BrowserMetadata(Wire):
    browser: str | None = None
    browser_version: str | None = None
    engine: str | None = None
    user_agent: str | None = None
    webgl_support: bool | None = None


class CandidatePair(Wire):
    """One ICE candidate pair (W3C RTCIceCandidatePairStats: RTT in seconds, bitrate in bit/s)."""

    available_incoming_bitrate: Bitrate = None
    available_outgoing_bitrate: Bitrate = None
    bytes_discarded_on_send: Counter = None
    bytes_received: Counter = None
    bytes_sent: Counter = None
    current_round_trip_time: LatencySeconds = None
    last_packet_received_timestamp: Number = None
    last_packet_sent_timestamp: Number = None
    local_candidate_address: str | None = None
    local_candidate_id: str | None = None
    local_candidate_network_type: str | None = None
    local_candidate_port: Port = None
    local_candidate_protocol: str | None = None
    local_candidate_related_address: str | None = None
    local_candidate_related_port: Port = None
    local_candidate_type: str | None = None
    local_candidate_url: str | None = None
    nominated: bool | None = None
    packets_discarded_on_send: Counter = None
    packets_received: Counter = None
    packets_sent: Counter = None
    remote_candidate_address: str | None = None
    remote_candidate_id: str | None = None
    remote_candidate_port: Port = None
    remote_candidate_protocol: str | None = None
    remote_candidate_type: str | None = None
    remote_candidate_url: str | None = None
    total_round_trip_time: Counter = None


class CandidatePairs(Wire):
    consuming_transport: list[CandidatePair] | None = None
    producing_transport: list[CandidatePair] | None = None


class DeviceInfo(Wire):
    cpus: Cpus = None
    is_mobile: bool | None = None
    os: str | None = None
    os_version: str | None = None


ScalarValue = str | int | float | bool | None


def _scalar(value: ScalarValue) -> ScalarValue:
    """An event's metadata value: a non-finite or absurd number is not measured (``None``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float
        return None
    if not math.isfinite(number) or abs(number) > ABSURD:
        return None
    return value


class ReportEvent(Wire):
    metadata: dict[str, ScalarValue] | None = None
    name: str | None = None
    timestamp: str | None = None

    @field_validator("metadata", mode="after")
    @classmethod
    def _finite_metadata(
        cls, value: dict[str, ScalarValue] | None
    ) -> dict[str, ScalarValue] | None:
        if value is None:
            return None
        return {key: _scalar(item) for key, item in value.items()}


class ASN(Wire):
    asn: str | None = None
    domain: str | None = None
    name: str | None = None
    route: str | None = None
    type: str | None = None


class IPInformation(Wire):
    asn: ASN | None = None
    city: str | None = None
    country: str | None = None
    ipv4: str | None = None
    org: str | None = None
    region: str | None = None
    timezone: str | None = None


class NativeMetadata(Wire):
    audio_encoder: str | None = None
    video_encoder: str | None = None


class PcMetadata(Wire):
    effective_network_type: str | None = None
    reflexive_connectivity: bool | None = None
    relay_connectivity: bool | None = None
    sdp: list[str] | None = None
    timestamp: str | None = None
    turn_connectivity: bool | None = None


class ReportMetadata(Wire):
    audio_devices_updates: list[DeviceUpdate] | None = None
    browser_metadata: BrowserMetadata | None = None
    candidate_pairs: CandidatePairs | None = None
    device_info: DeviceInfo | None = None
    events: list[ReportEvent] | None = None
    ip_information: IPInformation | None = None
    native_metadata: NativeMetadata | None = None
    pc_metadata: list[PcMetadata] | None = None
    room_view_type: str | None = None
    sdk_name: str | None = None
    sdk_type: str | None = None
    sdk_version: str | None = None
    selected_device_updates: list[SelectedDeviceUpdate] | None = None
    speaker_devices_updates: list[DeviceUpdate] | None = None
    video_devices_updates: list[DeviceUpdate] | None = None


class PeerReport(Wire):
    metadata: ReportMetadata | None = None
    quality: Quality | None = None


class PeerEvent(Wire):
    id: str | None = None
    created_at: str | None = None
    event_name: str | None = None  # PEER_CREATED | PEER_JOINING | PEER_LEAVING | (new values)
    minutes_consumed: Minutes = None
    participant_id: str | None = None
    peer_id: str | None = None
    preset_view_type: str | None = None  # GROUP_CALL | WEBINAR | AUDIO_ROOM | LIVESTREAM | CHAT
    session_id: str | None = None
    socket_session_id: str | None = None
    updated_at: str | None = None


class Participant(Wire):
    id: str | None = None
    created_at: str | None = None
    custom_participant_id: str | None = None
    display_name: str | None = None
    duration: Minutes = None  # minutes
    joined_at: str | None = None
    left_at: str | None = None
    peer_events: list[PeerEvent] | None = None
    peer_report: PeerReport | None = None
    role: str | None = None
    session_id: str | None = None
    updated_at: str | None = None
    user_id: str | None = None

    _not_measured: list[str] = PrivateAttr(default_factory=list)
    _not_measured_count: int = PrivateAttr(default=0)

    @model_validator(mode="after")
    def _take_not_measured(self) -> Participant:
        # An "after" validator keeps pydantic's JSON fast path (a "wrap" one would first turn
        # the whole document into Python objects): the notes were gathered by
        # :func:`collecting_not_measured` while this participant's fields were validated.
        notes = _NOTES.get()
        if notes:
            self._not_measured = notes[:MAX_NOTES]
            self._not_measured_count = len(notes)
            notes.clear()
        return self

    @property
    def not_measured(self) -> tuple[str, ...]:
        """Numbers the boundary refused as absurd (``field = value``, at most 20 listed)."""
        return tuple(self._not_measured)

    @property
    def not_measured_count(self) -> int:
        """How many numbers were refused as absurd (exact, even past the listed 20)."""
        return self._not_measured_count


class EnvelopeData(Wire):
    participant: Participant | None = None


class Envelope(Wire):
    """The whole 200 body: ``{"success": true, "data": {"participant": {...}}}``."""

    success: bool | None = None
    data: EnvelopeData | None = None


class ReportParseError(ValueError):
    """The bytes are not a peer report (not JSON, or the wrong shape)."""


class NoParticipantInReport(ReportParseError):
    """Well-formed, but an answer without a participant (``{"success": true}``, ``{"data": {}}``).

    Not the user's mistake: it is what the API said. The message says what came back.
    """


def _what_came_back(envelope: Envelope) -> str:
    parts: list[str] = []
    if envelope.success is not None:
        parts.append(f'"success": {str(envelope.success).lower()}')
    if envelope.data is None:
        parts.append("no data")
    else:
        keys = sorted(set(envelope.data.model_fields_set) | set(envelope.data.model_extra or {}))
        shown = ", ".join(f'"{_one_line(k[:40])}"' for k in keys[:5])
        shown += ", …" if len(keys) > 5 else ""
        parts.append(f'"data" with {shown}' if keys else '"data": {}')
    return ", ".join(parts)


def _one_line(text: str) -> str:
    """Report keys inside an error message: control characters and line breaks escaped."""
    return "".join(
        ch if ch.isprintable() else json.dumps(ch, ensure_ascii=True)[1:-1] for ch in text
    )


def _first_error(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p)[:40] for p in err["loc"]) or "document"
    return _one_line(f"{where}: {err['msg']}")


def _shape_error(exc: ValidationError) -> str:
    return f"the report has an unexpected shape ({_first_error(exc)})"


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic GC while building many acyclic objects (a 4-hour report is ~1M)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_participant(raw: bytes | str) -> Participant:
    """Parse a saved response: the whole envelope or the bare participant object.

    Parses the bytes once with ``model_validate_json``; raises :class:`ReportParseError` with a
    one-line reason when the document is not JSON or not a peer report.
    """
    with no_gc(), collecting_not_measured():
        return _parse_participant(raw)


def _parse_participant(raw: bytes | str) -> Participant:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        kind = "empty" if not stripped else "not a JSON object"
        raise ReportParseError(f"the report is {kind}")
    try:
        envelope = Envelope.model_validate_json(text)
    except ValidationError as exc:
        if exc.errors()[0]["type"] == "json_invalid":
            raise ReportParseError(f"the report is not valid JSON ({_first_error(exc)})") from None
        raise ReportParseError(_shape_error(exc)) from None
    if envelope.data is not None and envelope.data.participant is not None:
        return envelope.data.participant
    if envelope.data is not None or envelope.success is not None:
        failed = " and reports a failure" if envelope.success is False else ""
        raise NoParticipantInReport(
            f"Cloudflare's answer holds no participant ({_what_came_back(envelope)}){failed}: "
            "there is nothing to assess. The peer may not have sent any stats yet; fetch the "
            "report again after the call has run for a minute."
        )
    try:
        return Participant.model_validate_json(text)
    except ValidationError as exc:
        # A well-formed answer (the envelope allows any key) that is no participant either.
        raise NoParticipantInReport(
            'Cloudflare\'s answer holds no participant (no "success", no "data", and as a bare '
            f"participant object it has an unexpected shape: {_first_error(exc)}): there is "
            "nothing to assess."
        ) from None


def dump_participant(participant: Participant) -> dict[str, Any]:
    """The participant as JSON-ready data, with the API's own key names."""
    return participant.model_dump(mode="json", by_alias=True, exclude_none=True)
