"""The numbers one track is judged on: cumulative summary first, samples for the rest (pure).

Validity is decided here, once: MOS outside 1..5, loss outside 0..100 %, latencies of 0 or
above 60 s, a 0 fps or 0 width, and shares outside 0..1 are "not measured". A track is *known*
only when at least one positive measurement remains (the Cloudflare API document's example,
every number 0, has none). Frame rate, width and encoder limitation come from the samples
after start-up when samples exist (the cumulative averages include the start-up ramp).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.health import thresholds as T
from bot.health.scan import scan
from bot.health.timeline import SenderCounts, TimestampCache, TrackTimeline, WidthDrop, Window
from bot.health.tracks import TRACKS, Track
from bot.health.units import decide
from bot.health.values import measured, num
from bot.realtimekit.models import (
    AudioConsumerCumulative,
    AudioProducerCumulative,
    Quality,
    VideoConsumerCumulative,
    VideoProducerCumulative,
)

Cumulative = (
    AudioConsumerCumulative
    | AudioProducerCumulative
    | VideoConsumerCumulative
    | VideoProducerCumulative
)


def share(value: float | None) -> float | None:
    """A 0..1 share; anything outside (or non-finite) is not measured."""
    number = num(value)
    return number if number is not None and number <= 1.0 else None


def mos(value: float | None) -> float | None:
    number = num(value)
    return number if number is not None and T.MOS_MIN <= number <= T.MOS_MAX else None


def loss_pct(value: float | None) -> float | None:
    number = num(value)
    return number if number is not None and number <= 100.0 else None


def latency_ms(value: float | None) -> float | None:
    return measured(value, hi=T.MAX_LATENCY_MS)


@dataclass(slots=True)
class TrackLevel:
    """The numbers one track is judged on (``None`` = not measured)."""

    track: Track
    timeline: TrackTimeline | None
    mos_avg: float | None = None
    mos_p50: float | None = None
    loss_pct: float | None = None
    loss_ge5: float | None = None
    loss_ge10: float | None = None
    rtt_ms: float | None = None
    rtt_ge250: float | None = None
    rtt_ge500: float | None = None
    jb_ms: float | None = None
    jb_ge500: float | None = None
    jitter_ms: float | None = None
    fps: float | None = None
    width: float | None = None
    width_drop: WidthDrop | None = None
    poor_resolution: float | None = None
    cpu_share: float | None = None
    bandwidth_share: float | None = None
    limited_share: float | None = None
    startup_limits: dict[str, float] = field(default_factory=dict)
    lag_share: float | None = None
    no_video_share: float | None = None
    key_frame_share: float | None = None
    negative_feedback_share: float | None = None
    packets: float = 0.0

    def window(self, name: str) -> Window | None:
        return None if self.timeline is None else self.timeline.window(name)

    @property
    def senders(self) -> dict[str, SenderCounts]:
        return {} if self.timeline is None else self.timeline.senders

    @property
    def known(self) -> bool:
        """At least one positive measurement (zeros everywhere say nothing)."""
        positives = (
            self.mos_avg,
            self.rtt_ms,
            self.jb_ms,
            self.jitter_ms,
            self.fps,
            self.width,
            self.loss_pct or None,
            self.loss_ge5 or None,
            self.loss_ge10 or None,
            self.rtt_ge250 or None,
            self.cpu_share or None,
            self.bandwidth_share or None,
            self.limited_share or None,
            self.lag_share or None,
            self.no_video_share or None,
            self.poor_resolution or None,
        )
        return self.packets > 0 or any(v is not None for v in positives)


def levels_of(quality: Quality | None, times: TimestampCache) -> list[TrackLevel]:
    """One :class:`TrackLevel` per track with at least one positive measurement."""
    out: list[TrackLevel] = []
    if quality is None:
        return out
    for track in TRACKS:
        level = _level(track, quality, times)
        if level is not None and level.known:
            out.append(level)
    return out


def _level(track: Track, quality: Quality, times: TimestampCache) -> TrackLevel | None:
    samples = getattr(quality, track.key, None)
    cumulative: Cumulative | None = getattr(quality, f"{track.key}_cumulative", None)
    if cumulative is None and not samples:
        return None
    level = TrackLevel(track=track, timeline=None)
    if cumulative is not None:
        _from_cumulative(level, cumulative)
    if samples:
        units = decide(
            samples, sent=track.sent, rtt_avg_ms=level.rtt_ms, jitter_buffer_avg_ms=level.jb_ms
        )
        level.timeline = scan(track, samples, times, units)
        _fill_from_samples(level, level.timeline)
    return level


def _from_cumulative(level: TrackLevel, cum: Cumulative) -> None:
    if cum.quality_mos is not None:
        level.mos_avg = mos(cum.quality_mos.avg)
        level.mos_p50 = mos(cum.quality_mos.p50)
    loss = cum.packet_loss
    if loss is not None:
        level.loss_pct = loss_pct(loss.avg)
        level.loss_ge5 = share(loss.ge_5)
        level.loss_ge10 = share(loss.ge_10)
    if isinstance(cum, AudioProducerCumulative | VideoProducerCumulative) and cum.rtt:
        level.rtt_ms = latency_ms(cum.rtt.avg)
        level.rtt_ge250 = share(cum.rtt.ge_250ms)
        level.rtt_ge500 = share(cum.rtt.ge_500ms)
    if isinstance(cum, AudioConsumerCumulative | VideoConsumerCumulative):
        jb = cum.jitter_buffer_delay
        if jb is not None:
            level.jb_ms = latency_ms(jb.avg)
            level.jb_ge500 = share(jb.ge_500ms)
    if isinstance(cum, VideoConsumerCumulative | VideoProducerCumulative):
        if cum.frame_per_second is not None:
            level.fps = measured(cum.frame_per_second.avg, hi=1000.0)
        if cum.frame_width is not None:
            level.width = measured(cum.frame_width.avg, hi=100_000.0)
    if isinstance(cum, VideoConsumerCumulative):
        if cum.issues is not None:
            level.lag_share = share(cum.issues.lag_fraction)
            level.no_video_share = share(cum.issues.no_video_fraction)
            level.poor_resolution = share(cum.issues.poor_resolution_fraction)
        level.key_frame_share = share(cum.key_frames_decoded_fraction)
    if isinstance(cum, VideoProducerCumulative):
        if cum.issues is not None:
            level.cpu_share = share(cum.issues.cpu_quality_limitation_fraction)
            level.bandwidth_share = share(cum.issues.bandwidth_quality_limitation_fraction)
            level.limited_share = share(cum.issues.quality_limitation_fraction)
            level.no_video_share = share(cum.issues.no_video_fraction)
            level.poor_resolution = share(cum.issues.poor_resolution_fraction)
        level.key_frame_share = share(cum.key_frames_encoded_fraction)
        level.negative_feedback_share = share(cum.high_negative_feedback_fraction)


def _fill_from_samples(level: TrackLevel, tl: TrackTimeline) -> None:
    """Samples fill what the summary left out; after-start-up video numbers replace it."""
    level.packets = tl.packets_total
    if level.mos_avg is None:
        level.mos_avg = tl.mean("mos")
    if level.loss_pct is None:
        level.loss_pct = tl.loss_pct
    if level.rtt_ms is None and level.track.sent:
        level.rtt_ms = tl.mean("rtt")
    if level.jb_ms is None and not level.track.sent:
        level.jb_ms = tl.mean("jb")
    level.jitter_ms = tl.mean("jitter")
    if level.track.media != "video":
        return
    level.fps = tl.mean("fps") or level.fps
    level.width = tl.width_top or level.width
    level.width_drop = tl.width_drop
    if level.lag_share is None and not level.track.sent:
        level.lag_share = tl.freeze_share
    if not level.track.sent:
        return
    level.startup_limits = dict(tl.startup_limits)
    cpu, bandwidth = tl.limitation_share("cpu"), tl.limitation_share("bandwidth")
    if cpu is None and bandwidth is None and not tl.startup_limits:
        return
    # The samples say what happened after start-up; the whole-call summary includes the ramp,
    # so the smaller of the two stands (a start-up-only limitation gives 0).
    level.cpu_share = _smaller(level.cpu_share, cpu or 0.0)
    level.bandwidth_share = _smaller(level.bandwidth_share, bandwidth or 0.0)
    none = tl.limitation_share("none")
    after = 1.0 - none if none is not None and (cpu is not None or bandwidth is not None) else 0.0
    level.limited_share = _smaller(level.limited_share, after)


def _smaller(summary: float | None, samples: float) -> float:
    return samples if summary is None else min(summary, samples)
