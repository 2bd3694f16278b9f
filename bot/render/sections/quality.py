"""The quality view: per track, the cumulative summary, sparklines and the worst periods."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.health.tracks import TRACKS, Track
from bot.health.values import ms
from bot.realtimekit.models import (
    AudioConsumerCumulative,
    AudioProducerCumulative,
    AudioProducerSample,
    Participant,
    VideoConsumerCumulative,
    VideoProducerCumulative,
    VideoProducerSample,
)
from bot.render.escape import escape_mrkdwn, inline
from bot.render.limits import clip
from bot.render.sections.content import TITLES, Section, num, pct
from bot.render.text import not_measured_line

if TYPE_CHECKING:
    from bot.health import Assessment

SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float], buckets: int = 24) -> str:
    """``▁▂▃█`` over ``buckets`` equal slices (mean of each), scaled to the data's range.

    Total: non-finite values are skipped, and the arithmetic cannot overflow even for values
    near ±1.8e308 (each is halved before it is summed or subtracted).
    """
    clean = [v for v in values if isinstance(v, int | float) and math.isfinite(v)]
    if not clean:
        return ""
    size = max(1, math.ceil(len(clean) / buckets))
    halves = [
        sum(v / 2 / len(c) for v in c)
        for i in range(0, len(clean), size)
        if (c := clean[i : i + size])
    ]
    low, high = min(halves), max(halves)
    span = high / 2 - low / 2
    if not span > 1e-12:
        return SPARK[0] * len(halves)
    return "".join(SPARK[min(7, max(0, int((m / 2 - low / 2) / span * 7.999)))] for m in halves)


Cumulative = AudioConsumerCumulative | AudioProducerCumulative


def track_text(track: Track, samples: Sequence[Any], cumulative: Cumulative | None) -> str:
    """Only documented fields, by type: an unknown key never reaches a view (raw aside)."""
    lines = [f"*{track.label[0].upper() + track.label[1:]}* · {len(samples)} samples"]
    parts: list[str] = []
    mos = cumulative.quality_mos if cumulative is not None else None
    if mos is not None and mos.avg is not None:
        parts.append(
            f"MOS {num(mos.avg, '{:.2f}')} "
            f"(p50 {num(mos.p50, '{:.2f}')}, p90 {num(mos.p90, '{:.2f}')})"
        )
    loss = cumulative.packet_loss if cumulative is not None else None
    if loss is not None and loss.avg is not None:
        parts.append(
            f"loss {num(loss.avg, '{:.2f}')}% (≥5% in {pct(loss.ge_5 or 0)}% of samples, "
            f"≥10% in {pct(loss.ge_10 or 0)}%)"
        )
    rtt = cumulative.rtt if isinstance(cumulative, AudioProducerCumulative) else None
    if rtt is not None and rtt.avg is not None:
        parts.append(f"RTT {num(rtt.avg)} ms (≥250 ms in {pct(rtt.ge_250ms or 0)}%)")
    jb = cumulative.jitter_buffer_delay if isinstance(cumulative, AudioConsumerCumulative) else None
    if jb is not None and jb.avg is not None:
        parts.append(f"jitter buffer {num(jb.avg)} ms")
    video = (
        cumulative
        if isinstance(cumulative, VideoConsumerCumulative | VideoProducerCumulative)
        else None
    )
    fps = video.frame_per_second if video is not None else None
    if fps is not None and fps.avg is not None:
        parts.append(f"{num(fps.avg, '{:.1f}')} fps")
    width = video.frame_width if video is not None else None
    if width is not None and width.avg is not None:
        parts.append(f"width {num(width.avg)}px")
    issues = cumulative.issues if isinstance(cumulative, VideoProducerCumulative) else None
    cpu = issues.cpu_quality_limitation_fraction if issues is not None else None
    bandwidth = issues.bandwidth_quality_limitation_fraction if issues is not None else None
    if cpu:
        parts.append(f"CPU-limited {pct(cpu)}%")
    if bandwidth:
        parts.append(f"bandwidth-limited {pct(bandwidth)}%")
    lines.append(" · ".join(parts) if parts else "_no cumulative summary_")
    moses = [s.mos_quality for s in samples if s.mos_quality is not None]
    if moses:
        lines.append(f"MOS over time `{sparkline(moses)}`")
    rtts = [
        v
        for s in samples
        if isinstance(s, AudioProducerSample | VideoProducerSample) and (v := ms(s.rtt)) is not None
    ]
    if rtts:
        lines.append(f"RTT over time  `{sparkline(rtts)}`")
    return "\n".join(lines)


def quality_section(participant: Participant, assessment: Assessment) -> Section:
    quality = participant.peer_report.quality if participant.peer_report else None
    rows: list[str] = []
    for track in TRACKS:
        samples = (getattr(quality, track.key, None) if quality else None) or []
        cumulative = getattr(quality, f"{track.key}_cumulative", None) if quality else None
        if samples or cumulative is not None:
            rows.append(track_text(track, samples, cumulative))
    findings = assessment.areas["quality"].findings
    worst = [f for f in findings if f.severity != "info"][:5]
    intro = "Per track: cumulative summary first, then the shape over the call."
    if participant.not_measured_count:
        intro += "\n" + not_measured_note(participant)
    if worst:
        intro += "\n*Worst periods:*\n" + "\n".join(
            f"• {escape_mrkdwn(clip(f.message, 500))}" for f in worst
        )
    return Section(
        TITLES["quality"],
        clip(intro, 2900),
        rows,
        empty="No quality stats in this report — it may have been fetched with a filter, or "
        "the peer never sent or received media.",
    )


def not_measured_note(participant: Participant) -> str:
    """One line on numbers refused as absurd (mrkdwn, escaped); ``""`` when there were none."""
    if not participant.not_measured_count:
        return ""
    return f"_{inline(clip(not_measured_line(participant), 300))}_"
