"""Per-sample windows: *when* a track was bad, from one pass over its sample list (pure).

Each list is read once. Per-sample packet loss comes from deltas of the getStats-style
monotonic counters ``packets_lost`` / ``packets_received`` (or ``packets_sent``), per stream
(``consumer_id`` / ``producer_id`` / ``ssrc``); a counter that goes backwards is a restart and
starts a new baseline. Latencies below 5 are seconds, otherwise ms (see ``values.ms``).

Samples are bucketed by UTC minute. A minute is *bad* for a condition when at least half of
its samples that carry the measurement are bad; the worst stretch is the longest run of
consecutive bad minutes. Without timestamps the window counts samples instead of minutes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.health import thresholds as T
from bot.health.tracks import Track
from bot.health.values import clock, ms, num
from bot.realtimekit.models import (
    AudioConsumerSample,
    AudioProducerSample,
    VideoConsumerSample,
    VideoProducerSample,
)
from bot.timeutil import parse_ts

Sample = AudioConsumerSample | AudioProducerSample | VideoConsumerSample | VideoProducerSample

#: Conditions evaluated on every sample that carries the measurement.
CONDITIONS: tuple[str, ...] = ("loss", "rtt", "jitter", "jb", "mos", "fps", "width", "cpu", "bw")
_INDEX = {name: i for i, name in enumerate(CONDITIONS)}
_UNTIMED_BASELINE_SAMPLES = 12  # **heuristic**: 12 samples ~ the first minute at 5 s sampling


def loss_poor_pct(track: Track) -> float:
    return T.AUDIO_LOSS_POOR_PCT if track.media == "audio" else T.VIDEO_LOSS_POOR_PCT


def fps_poor(track: Track) -> float:
    return T.SCREEN_FPS_POOR if track.screenshare else T.CAMERA_FPS_POOR


@dataclass(frozen=True, slots=True)
class Window:
    """How long one condition held: ``bad`` of ``total`` minutes (or samples)."""

    bad: int
    total: int
    unit: Literal["minute", "sample"]
    worst_start: float | None = None
    worst_end: float | None = None

    def phrase(self) -> str:
        """``for 12 of 45 minutes, worst stretch 14:05–14:17 UTC``; empty when never bad."""
        if self.bad <= 0 or self.total <= 0:
            return ""
        unit = self.unit if self.total == 1 else f"{self.unit}s"
        text = f"for {self.bad} of {self.total} {unit}"
        if self.worst_start is not None and self.worst_end is not None and self.bad > 1:
            text += f", worst stretch {clock(self.worst_start)}–{clock(self.worst_end)} UTC"
        elif self.worst_start is not None:
            text += f", around {clock(self.worst_start)} UTC"
        return text


@dataclass(slots=True)
class _Stream:
    lost: float | None = None
    count: float | None = None
    jbd: float | None = None
    emitted: float | None = None
    limits: tuple[float, float, float, float] | None = None  # first cpu, bw, none, other


@dataclass(slots=True)
class TrackTimeline:
    """Everything one pass over a sample list yields."""

    track: Track
    samples: int = 0
    first_ts: float | None = None
    last_ts: float | None = None
    packets_lost: float = 0.0
    packets_total: float = 0.0
    sums: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    width_baseline: float | None = None
    reasons: dict[str, int] = field(default_factory=dict)
    limit_seconds: dict[str, float] = field(default_factory=dict)
    windows: dict[str, Window] = field(default_factory=dict)

    def mean(self, name: str) -> float | None:
        n = self.counts.get(name, 0)
        if not n:
            return None
        value = self.sums.get(name, 0.0) / n
        return value if math.isfinite(value) else None

    @property
    def loss_pct(self) -> float | None:
        if self.packets_total <= 0:
            return None
        return min(100.0, 100.0 * self.packets_lost / self.packets_total)

    def limitation_share(self, reason: str) -> float | None:
        """Share of time the encoder was limited by ``reason`` (durations first, then samples)."""
        total = sum(self.limit_seconds.values())
        if total > 0:
            return self.limit_seconds.get(reason, 0.0) / total
        counted = sum(self.reasons.values())
        if counted > 0:
            return self.reasons.get(reason, 0) / counted
        return None

    def window(self, name: str) -> Window | None:
        return self.windows.get(name)


class TimestampCache:
    """Parses each distinct timestamp string once (the eight lists share their timestamps)."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[str, float | None] = {}

    def epoch(self, text: str | None) -> float | None:
        if text is None:
            return None
        try:
            return self._seen[text]
        except KeyError:
            pass
        moment = parse_ts(text)
        value: float | None = None
        if moment is not None:
            try:
                value = moment.timestamp()
            except (OverflowError, OSError, ValueError):
                value = None
        if len(self._seen) < 200_000:
            self._seen[text] = value
        return value


def scan(track: Track, samples: Sequence[Sample], times: TimestampCache) -> TrackTimeline:
    """One pass over ``samples``: levels (sums, counts, loss totals) and per-minute windows.

    Written for speed (a 4-hour report has ~23k samples): attribute names and flags are
    resolved once per list, counters are plain locals.
    """
    out = TrackTimeline(track=track)
    width_row = 2 * len(CONDITIONS)
    buckets: dict[int, list[int]] = {}  # minute -> [evaluated, bad] per condition
    untimed = [0] * width_row
    streams: dict[str, _Stream] = {}
    sums = dict.fromkeys(("mos", "rtt", "jitter", "jb", "fps", "width"), 0.0)
    counts = dict.fromkeys(sums, 0)
    loss_limit = loss_poor_pct(track)
    fps_limit = fps_poor(track)
    sent = track.sent
    video = track.media == "video"
    count_field = "packets_sent" if sent else "packets_received"
    id_field = "producer_id" if sent else "consumer_id"
    i_loss, i_rtt, i_jitter, i_jb, i_mos, i_fps, i_width, i_cpu, i_bw = (
        2 * _INDEX[name] for name in CONDITIONS
    )
    mos_poor, rtt_poor, jitter_poor, jb_poor = (
        T.MOS_POOR,
        T.RTT_POOR_MS,
        T.JITTER_POOR_MS,
        T.JB_DELAY_POOR_MS,
    )
    cutoff = T.SECONDS_OR_MS_CUTOFF
    drop_keep = 1 - T.WIDTH_DROP_POOR
    inf = math.inf
    baseline: float | None = None
    baseline_until: float | None = None
    first_width_samples = 0
    reasons: dict[str, int] = {}
    limit_seconds = {"cpu": 0.0, "bandwidth": 0.0, "none": 0.0, "other": 0.0}
    last_limits: dict[str, tuple[float, float, float, float]] = {}
    epoch = times.epoch
    first_ts = last_ts = None
    packets_lost = packets_total = 0.0
    n = 0

    for sample in samples:
        n += 1
        t = epoch(sample.timestamp)
        if t is not None:
            if first_ts is None or t < first_ts:
                first_ts = t
            if last_ts is None or t > last_ts:
                last_ts = t
            minute = int(t // 60)
            row = buckets.get(minute)
            if row is None:
                row = buckets[minute] = [0] * width_row
        else:
            row = untimed

        key = getattr(sample, id_field) or _stream_key(sample)
        state = streams.get(key)
        if state is None:
            state = streams[key] = _Stream()

        # --- packet loss from counter deltas -------------------------------------------------
        lost = sample.packets_lost
        count = getattr(sample, count_field)
        if lost is not None and count is not None and -inf < lost < inf and 0 <= count < inf:
            if state.lost is not None and state.count is not None:
                d_count = count - state.count
                d_lost = lost - state.lost
                if d_lost < 0:
                    d_lost = 0.0
                if d_count >= 0:
                    total = d_count if sent else d_count + d_lost
                    if 0 < total < inf:
                        if d_lost > total:
                            d_lost = total
                        packets_lost += d_lost
                        packets_total += total
                        row[i_loss] += 1
                        if 100.0 * d_lost / total > loss_limit:
                            row[i_loss + 1] += 1
            state.lost, state.count = lost, count

        # --- MOS, RTT, jitter ----------------------------------------------------------------
        mos = sample.mos_quality
        if mos is not None and 0 <= mos <= 5.0:
            sums["mos"] += mos
            counts["mos"] += 1
            row[i_mos] += 1
            if mos < mos_poor:
                row[i_mos + 1] += 1
        if sent:
            rtt = getattr(sample, "rtt")  # noqa: B009 - producers only
            if rtt is not None and 0 <= rtt < inf:
                rtt = rtt * 1000.0 if rtt < cutoff else rtt
                sums["rtt"] += rtt
                counts["rtt"] += 1
                row[i_rtt] += 1
                if rtt > rtt_poor:
                    row[i_rtt + 1] += 1
        jitter = sample.jitter
        if jitter is not None and 0 <= jitter < inf:
            jitter = jitter * 1000.0 if jitter < cutoff else jitter
            sums["jitter"] += jitter
            counts["jitter"] += 1
            row[i_jitter] += 1
            if jitter > jitter_poor:
                row[i_jitter + 1] += 1

        # --- jitter-buffer delay (accumulator / emitted count, else the sample value) --------
        if not sent:
            jb = _jitter_buffer_ms(
                state,
                num(getattr(sample, "jitter_buffer_delay")),  # noqa: B009 - consumers only
                num(getattr(sample, "jitter_buffer_emitted_count")),  # noqa: B009
            )
            if jb is not None:
                sums["jb"] += jb
                counts["jb"] += 1
                row[i_jb] += 1
                if jb > jb_poor:
                    row[i_jb + 1] += 1

        if not video:
            continue

        # --- video: fps, width, encoder limitation -------------------------------------------
        fps = getattr(sample, "frames_per_second")  # noqa: B009 - video only
        if fps is not None and 0 < fps < 1000:
            sums["fps"] += fps
            counts["fps"] += 1
            row[i_fps] += 1
            if fps < fps_limit:
                row[i_fps + 1] += 1
        width = getattr(sample, "frame_width")  # noqa: B009 - video only
        if width is not None and 0 < width < 100_000:
            sums["width"] += width
            counts["width"] += 1
            if t is not None:
                in_baseline = baseline_until is None or t <= baseline_until
            else:
                in_baseline = first_width_samples < _UNTIMED_BASELINE_SAMPLES
            if in_baseline:
                if baseline_until is None and t is not None:
                    baseline_until = t + T.WIDTH_BASELINE_S
                first_width_samples += 1
                baseline = width if baseline is None or width > baseline else baseline
            elif baseline is not None:
                row[i_width] += 1
                if width < baseline * drop_keep:
                    row[i_width + 1] += 1
        if not sent:
            continue
        reason = getattr(sample, "quality_limitation_reason")  # noqa: B009 - video senders
        if reason:
            reasons[reason] = reasons.get(reason, 0) + 1
            row[i_cpu] += 1
            row[i_bw] += 1
            if reason == "cpu":
                row[i_cpu + 1] += 1
            elif reason == "bandwidth":
                row[i_bw + 1] += 1
        durations = getattr(sample, "quality_limitation_durations")  # noqa: B009
        if durations is not None:
            current = (
                num(durations.cpu) or 0.0,
                num(durations.bandwidth) or 0.0,
                num(durations.none) or 0.0,
                num(durations.other) or 0.0,
            )
            if state.limits is None:
                state.limits = current
            previous = last_limits.get(key)
            if previous is not None and (
                current[0] < previous[0]
                or current[1] < previous[1]
                or current[2] < previous[2]
                or current[3] < previous[3]
            ):
                _fold_limits(limit_seconds, state.limits, previous)
                state.limits = current  # counters restarted: new baseline
            last_limits[key] = current

    for key, final in last_limits.items():
        first = streams[key].limits
        if first is not None:
            _fold_limits(limit_seconds, first, final)

    out.samples = n
    out.first_ts, out.last_ts = first_ts, last_ts
    out.packets_lost, out.packets_total = packets_lost, packets_total
    out.sums, out.counts = sums, counts
    out.width_baseline = baseline
    out.reasons = reasons
    out.limit_seconds = {k: v for k, v in limit_seconds.items() if v > 0}
    for name, index in _INDEX.items():
        window = _window(buckets, untimed, index)
        if window is not None:
            out.windows[name] = window
    return out


def _stream_key(sample: Sample) -> str:
    ident = (
        sample.consumer_id
        if isinstance(sample, AudioConsumerSample | VideoConsumerSample)
        else sample.producer_id
    )
    if ident:
        return ident
    ssrc = num(sample.ssrc)
    if ssrc is not None:
        return f"ssrc:{ssrc:.0f}"
    return sample.mid or ""


def _jitter_buffer_ms(state: _Stream, jbd: float | None, emitted: float | None) -> float | None:
    """Average delay since the previous sample of this stream.

    With ``jitter_buffer_emitted_count`` and both counters growing, the value is the W3C
    accumulator: delta(delay) / delta(emitted). Otherwise the sample value is the delay itself.
    The first sample of an accumulating stream gives nothing (its lifetime total is no delay).
    """
    if jbd is None:
        return None
    value: float | None = None
    if emitted is None:
        value = ms(jbd)
    elif state.jbd is not None and state.emitted is not None:
        d_jbd = jbd - state.jbd
        d_emitted = emitted - state.emitted
        value = ms(d_jbd / d_emitted) if d_emitted > 0 and d_jbd > 0 else ms(jbd)
    state.jbd, state.emitted = jbd, emitted
    return value


def _fold_limits(
    into: dict[str, float],
    first: tuple[float, float, float, float],
    last: tuple[float, float, float, float],
) -> None:
    for name, a, b in zip(("cpu", "bandwidth", "none", "other"), first, last, strict=True):
        delta = b - a
        if delta > 0 and math.isfinite(delta):
            into[name] += delta


def _window(buckets: dict[int, list[int]], untimed: list[int], index: int) -> Window | None:
    i = 2 * index
    if buckets:
        total = 0
        bad = 0
        run_start: int | None = None
        run_len = 0
        best_start: int | None = None
        best_len = 0
        previous: int | None = None
        for minute in sorted(buckets):
            row = buckets[minute]
            evaluated = row[i]
            if not evaluated:
                continue
            total += 1
            is_bad = row[i + 1] >= T.BAD_MINUTE_SHARE * evaluated
            if not is_bad:
                run_start, run_len, previous = None, 0, minute
                continue
            bad += 1
            if run_start is not None and previous == minute - 1:
                run_len += 1
            else:
                run_start, run_len = minute, 1
            if run_len > best_len:
                best_start, best_len = run_start, run_len
            previous = minute
        if total == 0:
            return None
        if best_start is None:
            return Window(bad=0, total=total, unit="minute")
        return Window(
            bad=bad,
            total=total,
            unit="minute",
            worst_start=best_start * 60.0,
            worst_end=(best_start + best_len) * 60.0,
        )
    if untimed[i] == 0:
        return None
    return Window(bad=untimed[i + 1], total=untimed[i], unit="sample")
