"""Wire models of the peer-report response.

Every field is optional and unknown fields are kept (``extra="allow"``): the API grows and the
assessment, not the parser, decides what "unknown" means. Enumerations are plain strings so a
new value never breaks parsing; the known values are listed as constants next to the field.
Numbers are floats (the schema says ``number``; older reports sent ints).

Keys that start with a digit (``10_or_greater_event_fraction``) are aliased to ``ge_10_…``.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

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
    "parse_participant",
]

PEER_EVENT_NAMES = ("PEER_CREATED", "PEER_JOINING", "PEER_LEAVING")
PRESET_VIEW_TYPES = ("GROUP_CALL", "WEBINAR", "AUDIO_ROOM", "LIVESTREAM", "CHAT")
QUALITY_LIMITATION_REASONS = ("cpu", "bandwidth", "none", "other")


class Wire(BaseModel):
    """Base of every wire model: tolerant of absence and of new fields."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=False)


# --- cumulative building blocks -------------------------------------------------------------


class PercentileStats(Wire):
    avg: float | None = None
    p50: float | None = None
    p75: float | None = None
    p90: float | None = None


class PacketLossCumulative(Wire):
    """Loss distribution: ``avg`` in percent, ``ge_N`` = share (0..1) of samples with loss ≥ N %."""

    avg: float | None = None
    ge_5: float | None = Field(default=None, alias="5_or_greater_event_fraction")
    ge_10: float | None = Field(default=None, alias="10_or_greater_event_fraction")
    ge_25: float | None = Field(default=None, alias="25_or_greater_event_fraction")
    ge_50: float | None = Field(default=None, alias="50_or_greater_event_fraction")


class LatencyCumulative(Wire):
    """Latency distribution: ``avg`` in ms, ``ge_N`` = share (0..1) of samples ≥ N ms."""

    avg: float | None = None
    ge_100ms: float | None = Field(default=None, alias="100ms_or_greater_event_fraction")
    ge_250ms: float | None = Field(default=None, alias="250ms_or_greater_event_fraction")
    ge_500ms: float | None = Field(default=None, alias="500ms_or_greater_event_fraction")


class VideoConsumerIssues(Wire):
    lag_fraction: float | None = None
    no_video_fraction: float | None = None
    poor_resolution_fraction: float | None = None


class VideoProducerIssues(Wire):
    bandwidth_quality_limitation_fraction: float | None = None
    cpu_quality_limitation_fraction: float | None = None
    no_video_fraction: float | None = None
    poor_resolution_fraction: float | None = None
    quality_limitation_fraction: float | None = None


class _CumulativeBase(Wire):
    packet_loss: PacketLossCumulative | None = None
    quality_mos: PercentileStats | None = None


class _VideoCumulative(Wire):
    frame_per_second: PercentileStats | None = None
    frame_width: PercentileStats | None = None


class AudioConsumerCumulative(_CumulativeBase):
    jitter_buffer_delay: LatencyCumulative | None = None


class AudioProducerCumulative(_CumulativeBase):
    rtt: LatencyCumulative | None = None


class VideoConsumerCumulative(AudioConsumerCumulative, _VideoCumulative):
    issues: VideoConsumerIssues | None = None
    key_frames_decoded_fraction: float | None = None


class VideoProducerCumulative(AudioProducerCumulative, _VideoCumulative):
    high_negative_feedback_fraction: float | None = None
    issues: VideoProducerIssues | None = None
    key_frames_encoded_fraction: float | None = None


# --- per-sample stats (getStats-style counters; rtt/jitter units vary, see bot.health) -----


class _Sample(Wire):
    jitter: float | None = None
    mid: str | None = None
    mos_quality: float | None = None
    packets_lost: float | None = None
    producer_id: str | None = None
    ssrc: float | None = None
    timestamp: str | None = None


class _ConsumerSample(_Sample):
    """What this peer received."""

    bytes_received: float | None = None
    consumer_id: str | None = None
    jitter_buffer_delay: float | None = None
    jitter_buffer_emitted_count: float | None = None
    packets_received: float | None = None
    peer_id: str | None = None


class _ProducerSample(_Sample):
    """What this peer sent."""

    bytes_sent: float | None = None
    packets_sent: float | None = None
    rtt: float | None = None


class _VideoSample(Wire):
    fir_count: float | None = None
    frame_height: float | None = None
    frame_width: float | None = None
    frames_per_second: float | None = None


class AudioConsumerSample(_ConsumerSample):
    concealment_events: float | None = None


class AudioProducerSample(_ProducerSample):
    pass


class VideoConsumerSample(_ConsumerSample, _VideoSample):
    frames_decoded: float | None = None
    frames_dropped: float | None = None
    key_frames_decoded: float | None = None


class QualityLimitationDurations(Wire):
    """Seconds spent in each limitation state (W3C qualityLimitationDurations)."""

    bandwidth: float | None = None
    cpu: float | None = None
    none: float | None = None
    other: float | None = None


class VideoProducerSample(_ProducerSample, _VideoSample):
    frames_encoded: float | None = None
    key_frames_encoded: float | None = None
    pli_count: float | None = None
    quality_limitation_durations: QualityLimitationDurations | None = None
    quality_limitation_reason: str | None = None  # cpu | bandwidth | none | other | (new values)
    quality_limitation_resolution_changes: float | None = None


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

    available_incoming_bitrate: float | None = None
    available_outgoing_bitrate: float | None = None
    bytes_discarded_on_send: float | None = None
    bytes_received: float | None = None
    bytes_sent: float | None = None
    current_round_trip_time: float | None = None
    last_packet_received_timestamp: float | None = None
    last_packet_sent_timestamp: float | None = None
    local_candidate_address: str | None = None
    local_candidate_id: str | None = None
    local_candidate_network_type: str | None = None
    local_candidate_port: float | None = None
    local_candidate_protocol: str | None = None
    local_candidate_related_address: str | None = None
    local_candidate_related_port: float | None = None
    local_candidate_type: str | None = None
    local_candidate_url: str | None = None
    nominated: bool | None = None
    packets_discarded_on_send: float | None = None
    packets_received: float | None = None
    packets_sent: float | None = None
    remote_candidate_address: str | None = None
    remote_candidate_id: str | None = None
    remote_candidate_port: float | None = None
    remote_candidate_protocol: str | None = None
    remote_candidate_type: str | None = None
    remote_candidate_url: str | None = None
    total_round_trip_time: float | None = None


class CandidatePairs(Wire):
    consuming_transport: list[CandidatePair] | None = None
    producing_transport: list[CandidatePair] | None = None


class DeviceInfo(Wire):
    cpus: float | None = None
    is_mobile: bool | None = None
    os: str | None = None
    os_version: str | None = None


ScalarValue = str | int | float | bool | None


class ReportEvent(Wire):
    metadata: dict[str, ScalarValue] | None = None
    name: str | None = None
    timestamp: str | None = None


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
    minutes_consumed: float | None = None
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
    duration: float | None = None  # minutes
    joined_at: str | None = None
    left_at: str | None = None
    peer_events: list[PeerEvent] | None = None
    peer_report: PeerReport | None = None
    role: str | None = None
    session_id: str | None = None
    updated_at: str | None = None
    user_id: str | None = None


class EnvelopeData(Wire):
    participant: Participant | None = None


class Envelope(Wire):
    """The whole 200 body: ``{"success": true, "data": {"participant": {...}}}``."""

    success: bool | None = None
    data: EnvelopeData | None = None


class ReportParseError(ValueError):
    """The bytes are not a peer report (not JSON, or the wrong shape)."""


def _first_error(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in err["loc"]) or "document"
    return f"{where}: {err['msg']}"


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
    with no_gc():
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
        raise ReportParseError("the response holds no participant (data.participant is missing)")
    try:
        return Participant.model_validate_json(text)
    except ValidationError as exc:
        raise ReportParseError(_shape_error(exc)) from None


def dump_participant(participant: Participant) -> dict[str, Any]:
    """The participant as JSON-ready data, with the API's own key names."""
    return participant.model_dump(mode="json", by_alias=True, exclude_none=True)
