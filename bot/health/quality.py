"""Media quality per track: levels from the ``*_cumulative`` summaries, *when* from the samples.

Each of the eight track lists is judged on its own (``producer`` = what this peer sent,
``consumer`` = what it received). The cumulative summary decides the level; when it is absent
the samples give the level too. RTT, jitter and jitter-buffer findings are reported once, for
the worst track, because all tracks of a peer share one network path.

Encoder limitation is reported here and routed on: CPU -> ``device.cpu_limited``, bandwidth ->
``network.bandwidth_limited`` (see :class:`QualitySignals`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.health import codes as C
from bot.health import thresholds as T
from bot.health.findings import STATUS_SEVERITY, Findings, band
from bot.health.model import STATUS_RANK, Area, Status
from bot.health.timeline import TimestampCache, TrackTimeline, Window, scan
from bot.health.tracks import TRACKS, Track
from bot.health.values import fmt_ms, fmt_num, fmt_pct, fmt_share, frac, num, rounded
from bot.realtimekit.models import (
    AudioConsumerCumulative,
    AudioProducerCumulative,
    LatencyCumulative,
    PacketLossCumulative,
    PercentileStats,
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

_MOS_CODE = {
    "audio": C.QUALITY_AUDIO_MOS_LOW,
    "video": C.QUALITY_VIDEO_MOS_LOW,
    "screenshare": C.QUALITY_SCREENSHARE_MOS_LOW,
}
_LOSS_CODE = {
    "audio": C.QUALITY_AUDIO_LOSS_HIGH,
    "video": C.QUALITY_VIDEO_LOSS_HIGH,
    "screenshare": C.QUALITY_SCREENSHARE_LOSS_HIGH,
}


@dataclass(slots=True)
class TrackLevel:
    """The numbers one track is judged on (``None`` = not in the report)."""

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
    width_baseline: float | None = None
    poor_resolution: float | None = None
    cpu_share: float | None = None
    bandwidth_share: float | None = None
    limited_share: float | None = None
    lag_share: float | None = None
    no_video_share: float | None = None
    key_frame_share: float | None = None
    negative_feedback_share: float | None = None

    def window(self, name: str) -> Window | None:
        return None if self.timeline is None else self.timeline.window(name)


@dataclass(slots=True)
class QualitySignals:
    """What other areas need from the quality pass."""

    cpu: TrackLevel | None = None  # the video sender most limited by CPU
    bandwidth: TrackLevel | None = None  # the video sender most limited by bandwidth
    loss_status: Status = "unknown"
    rtt_status: Status = "unknown"
    sends_video: bool = False
    receives_video: bool = False


@dataclass(slots=True)
class QualityResult:
    area: Area
    signals: QualitySignals
    levels: list[TrackLevel] = field(default_factory=list)


def assess_quality(quality: Quality | None, times: TimestampCache) -> QualityResult:
    levels: list[TrackLevel] = []
    if quality is not None:
        for track in TRACKS:
            level = _level(track, quality, times)
            if level is not None:
                levels.append(level)
    signals = _signals(levels)
    if not levels:
        found = Findings()
        summary = (
            "No quality stats in this report — it may have been fetched with a filter"
            if quality is None
            else "The report's quality section holds no track statistics"
        )
        return QualityResult(found.area(summary, known=False), signals)

    found = Findings()
    direction = _loss_direction(levels)
    for level in levels:
        _judge_track(level, found, direction)
    _judge_path(levels, found)
    _metrics(levels, found)
    return QualityResult(found.area(_summary(levels, found)), signals, levels)


# --- levels ------------------------------------------------------------------------------------


def _level(track: Track, quality: Quality, times: TimestampCache) -> TrackLevel | None:
    samples = getattr(quality, track.key, None)
    cumulative: Cumulative | None = getattr(quality, f"{track.key}_cumulative", None)
    timeline = scan(track, samples, times) if samples else None
    if cumulative is None and timeline is None:
        return None
    level = TrackLevel(track=track, timeline=timeline)
    if cumulative is not None:
        _from_cumulative(level, cumulative)
    if timeline is not None:
        _fill_from_samples(level, timeline)
    if not _has_numbers(level):
        return None
    return level


def _from_cumulative(level: TrackLevel, cum: Cumulative) -> None:
    mos: PercentileStats | None = cum.quality_mos
    if mos is not None:
        level.mos_avg = _mos(mos.avg)
        level.mos_p50 = _mos(mos.p50)
    loss: PacketLossCumulative | None = cum.packet_loss
    if loss is not None:
        avg = num(loss.avg)
        level.loss_pct = None if avg is None else min(avg, 100.0)
        level.loss_ge5 = frac(loss.ge_5)
        level.loss_ge10 = frac(loss.ge_10)
    if isinstance(cum, AudioProducerCumulative | VideoProducerCumulative):
        rtt: LatencyCumulative | None = cum.rtt
        if rtt is not None:
            level.rtt_ms = num(rtt.avg)
            level.rtt_ge250 = frac(rtt.ge_250ms)
            level.rtt_ge500 = frac(rtt.ge_500ms)
    if isinstance(cum, AudioConsumerCumulative | VideoConsumerCumulative):
        jb: LatencyCumulative | None = cum.jitter_buffer_delay
        if jb is not None:
            level.jb_ms = num(jb.avg)
            level.jb_ge500 = frac(jb.ge_500ms)
    if isinstance(cum, VideoConsumerCumulative | VideoProducerCumulative):
        if cum.frame_per_second is not None:
            level.fps = num(cum.frame_per_second.avg)
        if cum.frame_width is not None:
            level.width = num(cum.frame_width.avg)
    if isinstance(cum, VideoConsumerCumulative):
        if cum.issues is not None:
            level.lag_share = frac(cum.issues.lag_fraction)
            level.no_video_share = frac(cum.issues.no_video_fraction)
            level.poor_resolution = frac(cum.issues.poor_resolution_fraction)
        level.key_frame_share = frac(cum.key_frames_decoded_fraction)
    if isinstance(cum, VideoProducerCumulative):
        if cum.issues is not None:
            level.cpu_share = frac(cum.issues.cpu_quality_limitation_fraction)
            level.bandwidth_share = frac(cum.issues.bandwidth_quality_limitation_fraction)
            level.limited_share = frac(cum.issues.quality_limitation_fraction)
            level.no_video_share = frac(cum.issues.no_video_fraction)
            level.poor_resolution = frac(cum.issues.poor_resolution_fraction)
        level.key_frame_share = frac(cum.key_frames_encoded_fraction)
        level.negative_feedback_share = frac(cum.high_negative_feedback_fraction)


def _fill_from_samples(level: TrackLevel, tl: TrackTimeline) -> None:
    """Samples fill what the cumulative summary left out (never override it)."""
    if level.mos_avg is None:
        level.mos_avg = tl.mean("mos")
    if level.loss_pct is None:
        level.loss_pct = tl.loss_pct
    if level.rtt_ms is None and level.track.sent:
        level.rtt_ms = tl.mean("rtt")
    if level.jb_ms is None and not level.track.sent:
        level.jb_ms = tl.mean("jb")
    level.jitter_ms = tl.mean("jitter")
    if level.track.media == "video":
        if level.fps is None:
            level.fps = tl.mean("fps")
        if level.width is None:
            level.width = tl.mean("width")
        level.width_baseline = tl.width_baseline
        if level.track.sent:
            if level.cpu_share is None:
                level.cpu_share = tl.limitation_share("cpu")
            if level.bandwidth_share is None:
                level.bandwidth_share = tl.limitation_share("bandwidth")
    if level.limited_share is None and (level.cpu_share or level.bandwidth_share):
        other = tl.limitation_share("other") or 0.0
        level.limited_share = min(
            1.0, (level.cpu_share or 0.0) + (level.bandwidth_share or 0.0) + other
        )


def _mos(value: float | None) -> float | None:
    number = num(value)
    return number if number is not None and 1.0 <= number <= 5.0 else None


def _has_numbers(level: TrackLevel) -> bool:
    return any(
        getattr(level, name) is not None
        for name in TrackLevel.__slots__
        if name not in ("track", "timeline")
    ) or bool(level.timeline and level.timeline.samples)


# --- verdicts per track ------------------------------------------------------------------------


def _when(window: Window | None, what: str) -> str:
    phrase = window.phrase() if window is not None else ""
    return f"; {what} {phrase}" if phrase else ""


def _judge_track(level: TrackLevel, found: Findings, direction: tuple[int, int]) -> None:
    track = level.track
    label = track.label
    cap = label[0].upper() + label[1:]

    if level.mos_avg is not None:
        status = band(level.mos_avg, T.MOS_GOOD, T.MOS_POOR, higher_is_worse=False)
        if status != "good":
            median = (
                f" (median {level.mos_p50:.1f})"
                if level.mos_p50 is not None and round(level.mos_p50, 1) != round(level.mos_avg, 1)
                else ""
            )
            if level.mos_avg < T.MOS_SEVERE:
                verdict = "well below 3.1, where nearly all users are dissatisfied"
            elif status == "poor":
                verdict = "below 3.6, where many users are dissatisfied"
            else:
                verdict = "a little under the 4.0 of a good call"
            found.add(
                STATUS_SEVERITY[status],
                _MOS_CODE[track.family],
                f"{cap}: estimated quality score (MOS) averaged {level.mos_avg:.1f} out of 5"
                f"{median}, {verdict}{_when(level.window('mos'), 'below 3.6')}.",
                f"MOS {level.mos_avg:.1f} on {label}",
            )

    if level.loss_pct is not None or level.loss_ge10 is not None:
        _judge_loss(level, found, cap, direction)

    if track.media == "video" and level.fps is not None and level.fps > 0:
        good, poor = (
            (T.SCREEN_FPS_GOOD, T.SCREEN_FPS_POOR)
            if track.screenshare
            else (T.CAMERA_FPS_GOOD, T.CAMERA_FPS_POOR)
        )
        status = band(level.fps, good, poor, higher_is_worse=False)
        if status != "good":
            code = C.QUALITY_SCREENSHARE_FPS_LOW if track.screenshare else C.QUALITY_VIDEO_FPS_LOW
            look = (
                "screen changes appear late"
                if track.screenshare
                else ("motion looks jerky" if status == "poor" else "motion is less smooth")
            )
            found.add(
                STATUS_SEVERITY[status],
                code,
                f"{cap} averaged {fmt_num(round(level.fps, 1))} fps ({look}; "
                f"{fmt_num(good)} fps or more is good)"
                f"{_when(level.window('fps'), f'below {fmt_num(poor)} fps')}.",
                f"{fmt_num(round(level.fps, 1))} fps on {label}",
            )

    if track.media == "video":
        _judge_resolution(level, found, cap)
        _judge_video_issues(level, found, cap)


def _loss_bands(track: Track) -> tuple[float, float]:
    if track.media == "audio":
        return T.AUDIO_LOSS_FAIR_PCT, T.AUDIO_LOSS_POOR_PCT
    return T.VIDEO_LOSS_FAIR_PCT, T.VIDEO_LOSS_POOR_PCT


def _loss_status(level: TrackLevel) -> Status:
    """Level from the average; a tenth of the call at >= 10 % loss is poor regardless."""
    if level.loss_pct is None and level.loss_ge10 is None:
        return "unknown"
    fair, poor = _loss_bands(level.track)
    status: Status = "good"
    if level.loss_pct is not None:
        status = band(level.loss_pct, fair, poor)
    if level.loss_ge10 is not None and level.loss_ge10 >= T.LOSS_BURST_SHARE_POOR:
        status = "poor"
    return status


def _loss_direction(levels: list[TrackLevel]) -> tuple[int, int]:
    """How many sent / received tracks show loss (fair or worse)."""
    lossy = [lv for lv in levels if _loss_status(lv) in ("fair", "poor")]
    return sum(1 for lv in lossy if lv.track.sent), sum(1 for lv in lossy if not lv.track.sent)


def _judge_loss(level: TrackLevel, found: Findings, cap: str, direction: tuple[int, int]) -> None:
    track = level.track
    _, poor = _loss_bands(track)
    status = _loss_status(level)
    if status in ("good", "unknown"):
        return
    parts: list[str] = []
    if level.loss_pct is not None:
        parts.append(f"{cap} lost {fmt_pct(level.loss_pct)} of packets on average")
    else:
        parts.append(f"{cap} had bursts of packet loss")
    if level.loss_ge10:
        parts.append(f" (10%+ loss in {fmt_share(level.loss_ge10)} of samples)")
    elif level.loss_ge5:
        parts.append(f" (5%+ loss in {fmt_share(level.loss_ge5)} of samples)")
    _, lossy_received = direction
    if track.sent:
        where = "on the way from this participant to the media server (their upload"
        where += (
            "; what they received lost packets too, so their own connection is the common factor)"
            if lossy_received
            else ")"
        )
    elif lossy_received > 1:
        where = (
            "on the way to this participant — more than one received track shows it, which "
            "points at their own download rather than one sender"
        )
    else:
        where = "on the way to this participant (their download, or the sender's upload)"
    parts.append(f" {where}")
    if level.loss_pct is not None and level.loss_pct > T.LOSS_SEVERE_PCT:
        parts.append(" — severe: expect robotic audio or frozen video")
    parts.append(_when(level.window("loss"), f"above {fmt_num(poor)}%"))
    shown = fmt_pct(level.loss_pct) if level.loss_pct is not None else "bursts"
    found.add(
        STATUS_SEVERITY[status],
        _LOSS_CODE[track.family],
        "".join(parts) + ".",
        f"{shown} loss on {track.label}",
    )


def _judge_resolution(level: TrackLevel, found: Findings, cap: str) -> None:
    status: Status = "good"
    text = ""
    if level.width is not None and level.width_baseline and level.width > 0:
        drop = 1.0 - level.width / level.width_baseline
        status = band(drop, T.WIDTH_DROP_FAIR, T.WIDTH_DROP_POOR)
        if status != "good":
            text = (
                f"{cap} resolution fell from {level.width_baseline:.0f} px wide in the first "
                f"minute to {level.width:.0f} px on average ({drop:.0%} smaller)"
            )
    if level.poor_resolution is not None:
        res_status = band(
            level.poor_resolution, T.POOR_RESOLUTION_SHARE_FAIR, T.POOR_RESOLUTION_SHARE_POOR
        )
        if STATUS_RANK[res_status] > STATUS_RANK[status]:
            status = res_status
            text = f"{cap} was at a poor resolution {fmt_share(level.poor_resolution)} of the time"
        elif text and level.poor_resolution >= 0.01:
            text += f", poor resolution {fmt_share(level.poor_resolution)} of the time"
    if status == "good":
        return
    if level.track.sent and (level.bandwidth_share or level.cpu_share):
        text += " (the encoder scaled down; see the limitation finding)"
    found.add(
        STATUS_SEVERITY[status],
        C.QUALITY_RESOLUTION_LOW,
        text + _when(level.window("width"), "below half the starting width") + ".",
        f"low resolution on {level.track.label}",
    )


def _judge_video_issues(level: TrackLevel, found: Findings, cap: str) -> None:
    label = level.track.label
    limited = level.limited_share
    if limited is None and (level.cpu_share is not None or level.bandwidth_share is not None):
        limited = min(1.0, (level.cpu_share or 0.0) + (level.bandwidth_share or 0.0))
    if level.track.sent and limited is not None:
        status = band(limited, T.LIMITED_SHARE_FAIR, T.LIMITED_SHARE_POOR)
        if status != "good":
            causes = []
            if level.cpu_share:
                causes.append(f"CPU {fmt_share(level.cpu_share)}")
            if level.bandwidth_share:
                causes.append(f"bandwidth {fmt_share(level.bandwidth_share)}")
            cause = f" ({', '.join(causes)})" if causes else ""
            when = _when(level.window("cpu"), "CPU-limited") or _when(
                level.window("bw"), "bandwidth-limited"
            )
            found.add(
                STATUS_SEVERITY[status],
                C.QUALITY_ENCODER_LIMITED,
                f"The {label} encoder was held back {fmt_share(limited)} of the time{cause}, "
                f"so it sent lower resolution or frame rate{when}.",
                f"{label} limited {fmt_share(limited)} of the time",
            )
    if level.lag_share is not None:
        status = band(level.lag_share, T.LAG_SHARE_FAIR, T.LAG_SHARE_POOR)
        if status != "good":
            found.add(
                STATUS_SEVERITY[status],
                C.QUALITY_VIDEO_LAG,
                f"{cap} froze or lagged {fmt_share(level.lag_share)} of the time.",
                f"{label} lagged {fmt_share(level.lag_share)}",
            )
    if level.no_video_share is not None and level.no_video_share >= T.NO_VIDEO_SHARE_FAIR:
        found.add(
            "warning",
            C.QUALITY_VIDEO_MISSING,
            f"{cap} carried no frames {fmt_share(level.no_video_share)} of the time while the "
            "track existed (paused camera, or video that never arrived).",
            f"no frames on {label} {fmt_share(level.no_video_share)}",
        )
    share = level.negative_feedback_share
    if share is not None and share >= T.NEGATIVE_FEEDBACK_SHARE_FAIR:
        found.add(
            "warning",
            C.QUALITY_NEGATIVE_FEEDBACK_HIGH,
            f"Receivers of the {label} kept asking for retransmissions or fresh key frames "
            f"(heavy NACK/PLI feedback in {fmt_share(share)} of samples) — a sign of loss on "
            "the path.",
            f"heavy feedback on {label}",
        )
    if level.key_frame_share is not None and level.key_frame_share >= T.KEY_FRAME_SHARE_NOTE:
        found.add(
            "info",
            C.QUALITY_KEY_FRAMES_FREQUENT,
            f"Key frames made up {fmt_share(level.key_frame_share)} of the {label} "
            "(full-picture refreshes, usually requested after loss).",
        )


# --- path-wide verdicts (once, for the worst track) -------------------------------------------


def _worst(levels: list[TrackLevel], value: str) -> TrackLevel | None:
    candidates = [lv for lv in levels if getattr(lv, value) is not None]
    return max(candidates, key=lambda lv: getattr(lv, value), default=None)


def _judge_path(levels: list[TrackLevel], found: Findings) -> None:
    rtt_status: Status = "good"
    jb_status: Status = "good"
    rtt_levels = [lv for lv in levels if lv.track.sent]
    rtt_worst = max(
        (lv for lv in rtt_levels if lv.rtt_ms is not None or lv.rtt_ge500 is not None),
        key=lambda lv: (STATUS_RANK[_rtt_status(lv)], lv.rtt_ms or 0.0),
        default=None,
    )
    if rtt_worst is not None:
        rtt_status = _rtt_status(rtt_worst)
        if rtt_status != "good":
            avg = rtt_worst.rtt_ms
            head = (
                f"Round-trip time on {rtt_worst.track.label} averaged {fmt_ms(avg)}"
                if avg is not None
                else f"Round-trip time on {rtt_worst.track.label} had long spikes"
            )
            shares = []
            if rtt_worst.rtt_ge250:
                shares.append(f"250 ms+ in {fmt_share(rtt_worst.rtt_ge250)} of samples")
            if rtt_worst.rtt_ge500:
                shares.append(f"500 ms+ in {fmt_share(rtt_worst.rtt_ge500)}")
            extra = f" ({', '.join(shares)})" if shares else ""
            effect = (
                " — people will talk over each other"
                if rtt_status == "poor"
                else " — conversation may feel slightly delayed"
            )
            found.add(
                STATUS_SEVERITY[rtt_status],
                C.QUALITY_RTT_HIGH,
                f"{head}{extra}{effect}{_when(rtt_worst.window('rtt'), 'above 300 ms')}.",
                f"RTT {fmt_ms(avg)}" if avg is not None else "RTT spikes",
            )

    jb_worst = max(
        (lv for lv in levels if lv.jb_ms is not None or lv.jb_ge500 is not None),
        key=lambda lv: (STATUS_RANK[_jb_status(lv)], lv.jb_ms or 0.0),
        default=None,
    )
    if jb_worst is not None:
        jb_status = _jb_status(jb_worst)
        if jb_status != "good":
            avg = jb_worst.jb_ms
            head = (
                f"{jb_worst.track.label.capitalize()} waited {fmt_ms(avg)} on average in the "
                "jitter buffer"
                if avg is not None
                else f"{jb_worst.track.label.capitalize()} had long jitter-buffer delays"
            )
            extra = (
                f" (500 ms+ in {fmt_share(jb_worst.jb_ge500)} of samples)"
                if jb_worst.jb_ge500
                else ""
            )
            found.add(
                STATUS_SEVERITY[jb_status],
                C.QUALITY_JITTER_BUFFER_HIGH,
                f"{head}{extra}: packets arrived unevenly, so playback was held back"
                f"{_when(jb_worst.window('jb'), 'above 200 ms')}.",
                f"jitter buffer {fmt_ms(avg)}" if avg is not None else "jitter-buffer spikes",
            )

    jitter_worst = _worst(levels, "jitter_ms")
    if jitter_worst is not None and jitter_worst.jitter_ms is not None:
        status = band(jitter_worst.jitter_ms, T.JITTER_FAIR_MS, T.JITTER_POOR_MS)
        if status != "good":
            found.add(
                STATUS_SEVERITY[status],
                C.QUALITY_JITTER_HIGH,
                f"Jitter on {jitter_worst.track.label} averaged {fmt_ms(jitter_worst.jitter_ms)} "
                f"(uneven packet arrival; under 30 ms is good)"
                f"{_when(jitter_worst.window('jitter'), 'above 50 ms')}.",
                f"jitter {fmt_ms(jitter_worst.jitter_ms)}",
            )

    rtt = max((lv.rtt_ms for lv in levels if lv.rtt_ms is not None), default=None)
    jb = max((lv.jb_ms for lv in levels if lv.jb_ms is not None), default=None)
    if rtt is not None and jb is not None and rtt_status != "poor" and jb_status != "poor":
        one_way = rtt / 2 + jb
        if one_way > T.ONE_WAY_DELAY_FAIR_MS:
            found.add(
                "warning",
                C.QUALITY_LATENCY_HIGH,
                f"Mouth-to-ear delay was about {fmt_ms(one_way)} one way (half the "
                f"{fmt_ms(rtt)} round trip plus {fmt_ms(jb)} of jitter buffer), above the "
                "150 ms that keeps a conversation natural (ITU-T G.114).",
                f"delay ~{fmt_ms(one_way)} one way",
            )


def _rtt_status(level: TrackLevel) -> Status:
    status: Status = "good"
    if level.rtt_ms is not None:
        status = band(level.rtt_ms, T.RTT_FAIR_MS, T.RTT_POOR_MS)
    if level.rtt_ge250 is not None and level.rtt_ge250 >= T.RTT_GE250_SHARE_FAIR:
        status = _max(status, "fair")
    if level.rtt_ge500 is not None and level.rtt_ge500 >= T.RTT_GE500_SHARE_POOR:
        status = "poor"
    return status


def _jb_status(level: TrackLevel) -> Status:
    status: Status = "good"
    if level.jb_ms is not None:
        status = band(level.jb_ms, T.JB_DELAY_FAIR_MS, T.JB_DELAY_POOR_MS)
    if level.jb_ge500 is not None and level.jb_ge500 >= T.JB_GE500_SHARE_POOR:
        status = "poor"
    return status


def _max(a: Status, b: Status) -> Status:
    return a if STATUS_RANK[a] >= STATUS_RANK[b] else b


# --- signals, metrics, summary -----------------------------------------------------------------


def _signals(levels: list[TrackLevel]) -> QualitySignals:
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
    loss: Status = "unknown"
    rtt: Status = "unknown"
    for lv in levels:
        status = _loss_status(lv)
        if status != "unknown":
            loss = status if loss == "unknown" else _max(loss, status)
        if lv.rtt_ms is not None or lv.rtt_ge500 is not None:
            status = _rtt_status(lv)
            rtt = status if rtt == "unknown" else _max(rtt, status)
    signals.loss_status, signals.rtt_status = loss, rtt
    return signals


def _metrics(levels: list[TrackLevel], found: Findings) -> None:
    found.metric("tracks", len(levels))
    mos = min(
        (lv for lv in levels if lv.mos_avg is not None),
        key=lambda lv: lv.mos_avg or 0.0,
        default=None,
    )
    if mos is not None:
        found.metric("mos_avg", rounded(mos.mos_avg))
        found.metric("mos_track", mos.track.key)
    loss = _worst(levels, "loss_pct")
    if loss is not None:
        found.metric("loss_avg_pct", rounded(loss.loss_pct))
        found.metric("loss_track", loss.track.key)
    for name, attr in (
        ("rtt_avg_ms", "rtt_ms"),
        ("jitter_buffer_avg_ms", "jb_ms"),
        ("jitter_avg_ms", "jitter_ms"),
    ):
        worst = _worst(levels, attr)
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


def _summary(levels: list[TrackLevel], found: Findings) -> str:
    heads = found.top_headlines(2)
    if heads:
        text = "; ".join(heads)
        return text[0].upper() + text[1:]
    parts: list[str] = []
    mos = min((lv.mos_avg for lv in levels if lv.mos_avg is not None), default=None)
    if mos is not None:
        parts.append(f"MOS {mos:.1f}")
    loss = max((lv.loss_pct for lv in levels if lv.loss_pct is not None), default=None)
    if loss is not None:
        parts.append(f"loss {fmt_pct(loss)} or less")
    rtt = max((lv.rtt_ms for lv in levels if lv.rtt_ms is not None), default=None)
    if rtt is not None:
        parts.append(f"RTT {fmt_ms(rtt)}")
    noun = "track" if len(levels) == 1 else "tracks"
    detail = f": {', '.join(parts)}" if parts else ""
    return f"Healthy on {len(levels)} {noun}{detail}"
