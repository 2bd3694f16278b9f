"""Media quality: levels per track, loss attributed per sender, rules per media kind (pure).

Each of the eight track lists is read once (``producer`` = what this peer sent, ``consumer``
= what it received) with its units decided once (:mod:`.units`) and its numbers validated once
(:mod:`.quality_levels`). Then one finding per cause:

- packet loss: who lost it (:mod:`.attribution`);
- delay: RTT once, audio jitter / jitter buffer, mouth-to-ear from audio parts (:mod:`.latency`);
- audio MOS, camera video and screen share by their own rules (:mod:`.media`).

Encoder limitation is routed on: CPU -> ``device.cpu_limited``, bandwidth ->
``network.bandwidth_limited`` (see :class:`QualitySignals`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.health import codes as C
from bot.health.attribution import Attribution, attribute_levels
from bot.health.findings import Findings
from bot.health.latency import judge_latency, rtt_level
from bot.health.media import judge_mos, judge_video
from bot.health.model import Area, Status
from bot.health.quality_levels import TrackLevel, levels_of
from bot.health.timeline import TimestampCache
from bot.health.tracks import TRACKS
from bot.health.values import fmt_ms, fmt_pct, rounded
from bot.realtimekit.models import Quality

__all__ = ["QualityResult", "QualitySignals", "TrackLevel", "assess_quality"]


@dataclass(slots=True)
class QualitySignals:
    """What other areas need from the quality pass."""

    cpu: TrackLevel | None = None  # the video sender most limited by CPU (after start-up)
    bandwidth: TrackLevel | None = None  # the video sender most limited by bandwidth
    loss_status: Status = "unknown"
    rtt_status: Status = "unknown"
    sends_video: bool = False
    receives_video: bool = False
    #: Bandwidth limitation seen only during start-up (the estimator ramping up): no fault.
    bandwidth_startup_only: bool = False
    #: The one media RTT number quality reports (ms), for other areas to quote or defer to.
    rtt_ms: float | None = None


@dataclass(slots=True)
class QualityResult:
    area: Area
    signals: QualitySignals
    levels: list[TrackLevel] = field(default_factory=list)
    attribution: Attribution = field(default_factory=Attribution)


def assess_quality(quality: Quality | None, times: TimestampCache) -> QualityResult:
    levels = levels_of(quality, times)
    attribution = attribute_levels(levels)
    signals = _signals(levels, attribution)
    found = Findings()
    if not levels:
        if quality is None:
            summary = "No quality stats in this report — it may have been fetched with a filter"
        elif _has_tracks(quality):
            summary = "Track statistics are present but every number is 0 or null (not measured)"
            found.add(
                "info",
                C.QUALITY_NOT_MEASURED,
                "The quality section lists tracks, but every MOS, loss, RTT, bitrate, frame "
                "rate and width is 0 or null — the SDK's way of saying 'not measured'. No "
                "quality verdict is possible from it.",
            )
        else:
            summary = "The report's quality section holds no track statistics"
        return QualityResult(found.area(summary, known=False), signals, [], attribution)

    for finding, head in zip(attribution.findings, attribution.headlines + ("",) * 4, strict=False):
        found.add_finding(finding, head)
    signals.rtt_status = judge_latency(levels, found)
    judge_mos(levels, found)
    judge_video(levels, found)
    _metrics(levels, attribution, found)
    return QualityResult(found.area(_summary(levels, found)), signals, levels, attribution)


def _has_tracks(quality: Quality) -> bool:
    return any(
        getattr(quality, t.key, None) or getattr(quality, f"{t.key}_cumulative", None)
        for t in TRACKS
    )


def _signals(levels: list[TrackLevel], attribution: Attribution) -> QualitySignals:
    signals = QualitySignals()
    senders = [lv for lv in levels if lv.track.sent and lv.track.media == "video"]
    signals.sends_video = bool(senders)
    signals.receives_video = any(not lv.track.sent and lv.track.media == "video" for lv in levels)
    signals.cpu = max(
        (lv for lv in senders if lv.cpu_share), key=lambda lv: lv.cpu_share or 0.0, default=None
    )
    signals.bandwidth = max(
        (lv for lv in senders if lv.bandwidth_share),
        key=lambda lv: lv.bandwidth_share or 0.0,
        default=None,
    )
    signals.bandwidth_startup_only = signals.bandwidth is None and any(
        "bandwidth" in lv.startup_limits for lv in senders
    )
    signals.loss_status = attribution.status
    rtt = rtt_level(levels)
    signals.rtt_ms = rounded(rtt.rtt_ms, 1) if rtt is not None else None
    return signals


def _metrics(levels: list[TrackLevel], attribution: Attribution, found: Findings) -> None:
    found.metric("tracks", len(levels))
    audio_mos = [lv for lv in levels if lv.track.media == "audio" and lv.mos_avg is not None]
    mos = min(
        audio_mos or [lv for lv in levels if lv.mos_avg is not None],
        key=lambda lv: lv.mos_avg or 0.0,
        default=None,
    )
    if mos is not None:
        found.metric("mos_avg", rounded(mos.mos_avg))
        found.metric("mos_track", mos.track.key)
    loss = max(
        (lv for lv in levels if lv.loss_pct is not None),
        key=lambda lv: lv.loss_pct or 0.0,
        default=None,
    )
    if loss is not None:
        found.metric("loss_avg_pct", rounded(loss.loss_pct))
        found.metric("loss_track", loss.track.key)
    found.metric("uplink_loss_pct", attribution.uplink_loss_pct)
    found.metric("senders", len(attribution.received_from) or None)
    rtt = rtt_level(levels)
    if rtt is not None:
        found.metric("rtt_avg_ms", rounded(rtt.rtt_ms, 1))
    for name, attr in (("jitter_buffer_avg_ms", "jb_ms"), ("jitter_avg_ms", "jitter_ms")):
        audio = [lv for lv in levels if lv.track.media == "audio" and getattr(lv, attr)]
        worst = max(audio, key=lambda lv: getattr(lv, attr), default=None)
        if worst is not None:
            found.metric(name, rounded(getattr(worst, attr), 1))
    for lv in levels:
        key = lv.track.key
        for suffix, value in (
            ("mos_avg", lv.mos_avg),
            ("mos_p50", lv.mos_p50),
            ("loss_avg_pct", lv.loss_pct),
            ("loss_ge10_share", lv.loss_ge10),
            ("rtt_avg_ms", lv.rtt_ms),
            ("jitter_buffer_avg_ms", lv.jb_ms),
            ("jitter_avg_ms", lv.jitter_ms),
            ("fps_avg", lv.fps),
            ("frame_width_avg", lv.width),
            ("cpu_limited_share", lv.cpu_share),
            ("bandwidth_limited_share", lv.bandwidth_share),
            ("key_frame_share", lv.key_frame_share),
            ("negative_feedback_share", lv.negative_feedback_share),
        ):
            found.metric(f"{key}_{suffix}", rounded(value))
        if lv.timeline is not None:
            found.metric(f"{key}_samples", lv.timeline.samples)
            found.metric(f"{key}_units", "ms" if lv.timeline.units.latency == 1.0 else "s")


def _summary(levels: list[TrackLevel], found: Findings) -> str:
    heads = found.top_headlines(2)
    if heads:
        text = "; ".join(heads)
        return text[0].upper() + text[1:]
    parts: list[str] = []
    audio = [lv.mos_avg for lv in levels if lv.track.media == "audio" and lv.mos_avg is not None]
    if audio:
        parts.append(f"audio MOS {min(audio):.1f}")
    loss = max((lv.loss_pct for lv in levels if lv.loss_pct is not None), default=None)
    if loss is not None:
        parts.append(f"loss {fmt_pct(loss)} or less")
    rtt = rtt_level(levels)
    if rtt is not None and rtt.rtt_ms is not None:
        parts.append(f"RTT {fmt_ms(rtt.rtt_ms)}")
    noun = "track" if len(levels) == 1 else "tracks"
    detail = f": {', '.join(parts)}" if parts else ""
    return f"Healthy on {len(levels)} {noun}{detail}"
