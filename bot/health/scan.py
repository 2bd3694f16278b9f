"""One pass over a track's sample list -> :class:`TrackTimeline` (pure, written for speed).

A 4-hour report has ~23k samples: attribute names and flags are resolved once per list and
counters are plain locals. Validity rules (``values``): 0 / null / negative / non-finite is not
measured; MOS outside 1..5 and latencies above 60 s are not measured either.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.health import thresholds as T
from bot.health.timeline import (
    CONDITION_INDEX,
    CONDITIONS,
    Sample,
    SenderCounts,
    TimestampCache,
    TrackTimeline,
    WidthDrop,
    fps_poor,
    loss_poor_pct,
    window_of,
)
from bot.health.tracks import Track
from bot.health.units import TrackUnits

_INDEX = CONDITION_INDEX
#: **heuristic**: without timestamps, the first 4 samples (~30 s at the SDK's 7 s) are start-up
#: and the next 9 (~60 s) give the resolution baseline.
_UNTIMED_STARTUP_SAMPLES = 4
_UNTIMED_BASELINE_SAMPLES = 9
_LIMIT_NAMES = ("cpu", "bandwidth", "none", "other")


@dataclass(slots=True)
class _Stream:
    sender: str | None = None
    seen: int = 0
    t0: float | None = None
    lost: float | None = None
    count: float | None = None
    jbd: float | None = None
    emitted: float | None = None
    first_limits: tuple[float, ...] | None = None  # at the stream's first sample
    limits: tuple[float, ...] | None = None  # at its first sample after start-up
    last_limits: tuple[float, ...] | None = None
    baseline: float | None = None  # widest sent frame in the baseline window
    after_sum: float = 0.0  # widths after the baseline window
    after_n: int = 0
    width_sum: float = 0.0  # widths after start-up
    width_n: int = 0
    frames: float | None = None  # frames_decoded at the previous sample (received video)
    frames_packets: float | None = None


def scan(
    track: Track,
    samples: Sequence[Sample],
    times: TimestampCache,
    units: TrackUnits | None = None,
) -> TrackTimeline:
    """Levels (sums, counts, loss totals per stream and sender) and per-minute windows."""
    units = units or TrackUnits()
    out = TrackTimeline(track=track, units=units)
    width_row = 2 * len(CONDITIONS)
    buckets: dict[int, list[int]] = {}  # minute -> [evaluated, bad] per condition
    untimed = [0] * width_row
    streams: dict[tuple[object, object, object], _Stream] = {}
    sums = dict.fromkeys(("mos", "rtt", "jitter", "jb", "fps", "width"), 0.0)
    counts = dict.fromkeys(sums, 0)
    senders: dict[str, SenderCounts] = {}
    loss_limit = loss_poor_pct(track)
    fps_limit = fps_poor(track)
    sent = track.sent
    video = track.media == "video"
    count_field = "packets_sent" if sent else "packets_received"
    id_field = "producer_id" if sent else "consumer_id"
    i_loss, i_rtt, i_jitter, i_jb, i_mos, i_fps, i_width, i_cpu, i_bw, i_freeze = (
        2 * _INDEX[name] for name in CONDITIONS
    )
    rtt_poor, jitter_poor, jb_poor = T.RTT_POOR_MS, T.JITTER_POOR_MS, T.JB_DELAY_POOR_MS
    mos_lo, mos_hi, mos_poor = T.MOS_MIN, T.MOS_MAX, T.MOS_POOR
    lat_scale, jb_scale, lat_max = units.latency, units.jitter_buffer, T.MAX_LATENCY_MS
    jitter_scale = units.jitter_scale
    startup_s, baseline_s = T.STARTUP_S, T.STARTUP_S + T.WIDTH_BASELINE_S
    drop_keep = 1 - T.WIDTH_DROP_POOR
    inf = math.inf
    reasons: dict[str, int] = {}
    startup: dict[str, float] = {}
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

        # The sender is part of a received stream's identity: two senders' streams never merge
        # into one counter series, even if their consumer IDs or SSRCs happen to collide.
        origin = "" if sent else (getattr(sample, "peer_id", None) or "")
        key = (origin, getattr(sample, id_field) or _stream_key(sample), sample.ssrc)
        state = streams.get(key)
        if state is None:
            state = streams[key] = _Stream()
            if not sent:
                sender = getattr(sample, "peer_id", None) or sample.producer_id
                state.sender = sender or None
                if state.sender is not None and state.sender not in senders:
                    senders[state.sender] = SenderCounts()
        state.seen += 1
        if t is not None:
            if state.t0 is None or t < state.t0:
                state.t0 = t
            age: float | None = t - state.t0
            in_startup = age is not None and age < startup_s
        else:
            age = None
            in_startup = state.seen <= _UNTIMED_STARTUP_SAMPLES

        # --- packet loss from counter deltas -------------------------------------------------
        lost = sample.packets_lost
        count = getattr(sample, count_field)
        if lost is not None and count is not None and 0 <= lost < inf and 0 <= count < inf:
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
                        if state.sender is not None:
                            counts_of = senders.get(state.sender)
                            if counts_of is None:
                                counts_of = senders[state.sender] = SenderCounts()
                            counts_of.lost += d_lost
                            counts_of.total += total
                            counts_of.samples += 1
                        row[i_loss] += 1
                        if 100.0 * d_lost / total > loss_limit:
                            row[i_loss + 1] += 1
            state.lost, state.count = lost, count

        # --- MOS, RTT, jitter (0 = not measured) ---------------------------------------------
        mos = sample.mos_quality
        if mos is not None and mos_lo <= mos <= mos_hi:
            sums["mos"] += mos
            counts["mos"] += 1
            row[i_mos] += 1
            if mos < mos_poor:
                row[i_mos + 1] += 1
        if sent:
            rtt = getattr(sample, "rtt")  # noqa: B009 - producers only
            if rtt is not None and 0 < rtt < inf and 0 < rtt * lat_scale <= lat_max:
                rtt *= lat_scale
                sums["rtt"] += rtt
                counts["rtt"] += 1
                row[i_rtt] += 1
                if rtt > rtt_poor:
                    row[i_rtt + 1] += 1
        jitter = sample.jitter
        if jitter is not None and 0 < jitter < inf and 0 < jitter * jitter_scale <= lat_max:
            jitter *= jitter_scale
            sums["jitter"] += jitter
            counts["jitter"] += 1
            row[i_jitter] += 1
            if jitter > jitter_poor:
                row[i_jitter + 1] += 1

        # --- jitter-buffer delay: growth of the delay over growth of the emitted count -------
        if not sent:
            jb = _jitter_buffer(
                state,
                getattr(sample, "jitter_buffer_delay"),  # noqa: B009 - consumers only
                getattr(sample, "jitter_buffer_emitted_count"),  # noqa: B009
            )
            if jb is not None and 0 < jb * jb_scale <= lat_max:
                jb *= jb_scale
                sums["jb"] += jb
                counts["jb"] += 1
                row[i_jb] += 1
                if jb > jb_poor:
                    row[i_jb + 1] += 1

        if not video:
            continue

        # --- video: fps and width after start-up, sent-resolution baseline per stream --------
        if not in_startup:
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
                state.width_sum += width
                state.width_n += 1
                if sent:
                    in_baseline = (
                        age < baseline_s
                        if age is not None
                        else state.seen <= _UNTIMED_STARTUP_SAMPLES + _UNTIMED_BASELINE_SAMPLES
                    )
                    if in_baseline:
                        if state.baseline is None or width > state.baseline:
                            state.baseline = width
                    elif state.baseline is not None:
                        state.after_sum += width
                        state.after_n += 1
                        row[i_width] += 1
                        if width < state.baseline * drop_keep:
                            row[i_width + 1] += 1
        if not sent:
            # A frozen picture: packets keep arriving but no frame is decoded (a paused
            # consumer receives no packets, so it is not counted).
            frames = getattr(sample, "frames_decoded")  # noqa: B009 - received video
            if frames is not None and count is not None and 0 <= frames < inf:
                if not in_startup and state.frames is not None and state.frames_packets is not None:
                    d_frames, d_packets = frames - state.frames, count - state.frames_packets
                    if d_frames >= 0 and d_packets > 0:
                        out.freeze_checked += 1
                        row[i_freeze] += 1
                        if d_frames == 0:
                            out.frozen += 1
                            row[i_freeze + 1] += 1
                state.frames, state.frames_packets = frames, count
            continue
        reason = getattr(sample, "quality_limitation_reason")  # noqa: B009 - video senders
        if reason:
            if in_startup:
                startup[reason] = startup.get(reason, 0.0) + 1
            else:
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
                _seconds(durations.cpu),
                _seconds(durations.bandwidth),
                _seconds(durations.none),
                _seconds(durations.other),
            )
            previous = state.last_limits
            if previous is not None and (
                current[0] < previous[0]
                or current[1] < previous[1]
                or current[2] < previous[2]
                or current[3] < previous[3]
            ):
                _close_stream_limits(state, out.limit_seconds, startup)
                state.first_limits = state.limits = None  # counters restarted: new baseline
            if state.first_limits is None:
                state.first_limits = current
            if state.limits is None and not in_startup:
                state.limits = current
            state.last_limits = current

    for state in streams.values():
        _close_stream_limits(state, out.limit_seconds, startup)

    out.samples = n
    out.first_ts, out.last_ts = first_ts, last_ts
    out.packets_lost, out.packets_total = packets_lost, packets_total
    out.sums, out.counts = sums, counts
    out.senders = senders
    out.reasons = reasons
    out.startup_limits = {k: v for k, v in startup.items() if v > 0 and k not in ("none", "")}
    out.limit_seconds = {k: v for k, v in out.limit_seconds.items() if v > 0}
    _widths(out, streams.values())
    for name, index in _INDEX.items():
        window = window_of(buckets, untimed, index)
        if window is not None:
            out.windows[name] = window
    return out


def _widths(out: TrackTimeline, streams: Iterable[_Stream]) -> None:
    worst: WidthDrop | None = None
    top: float | None = None
    for state in streams:
        if state.width_n:
            mean = state.width_sum / state.width_n
            top = mean if top is None or mean > top else top
        if state.baseline and state.after_n:
            drop = WidthDrop(baseline=state.baseline, after=state.after_sum / state.after_n)
            if worst is None or drop.drop > worst.drop:
                worst = drop
    out.width_drop, out.width_top = worst, top


def _close_stream_limits(state: _Stream, into: dict[str, float], startup: dict[str, float]) -> None:
    """Fold one stream's limitation durations: start-up growth apart from the rest."""
    first, settled, last = state.first_limits, state.limits, state.last_limits
    if first is None or last is None:
        return
    for i, name in enumerate(_LIMIT_NAMES):
        if settled is None:
            early = last[i] - first[i]
            late = 0.0
        else:
            early = settled[i] - first[i]
            late = last[i] - settled[i]
        if late > 0 and math.isfinite(late):
            into[name] = into.get(name, 0.0) + late
        if early > 0 and math.isfinite(early):
            startup[name] = startup.get(name, 0.0) + early
    state.first_limits = state.limits = state.last_limits = None


def _stream_key(sample: Sample) -> str:
    ident = getattr(sample, "consumer_id", None) or sample.producer_id
    return ident or sample.mid or ""


def _seconds(value: float | None) -> float:
    """A limitation duration: finite and >= 0, else 0."""
    return value if value is not None and 0 <= value < math.inf else 0.0


def _jitter_buffer(state: _Stream, delay: float | None, emitted: float | None) -> float | None:
    """Average delay per emitted sample since the previous sample of this stream (raw units).

    Only from growth of both counters: an emitted count that does not move means nothing was
    played out (a paused consumer), which is no delay at all. A counter that goes backwards
    restarts the baseline. Without ``jitter_buffer_emitted_count`` nothing can be said.
    """
    if delay is None or emitted is None or not (0 <= delay < math.inf and 0 <= emitted < math.inf):
        return None
    value: float | None = None
    if state.jbd is not None and state.emitted is not None:
        d_delay = delay - state.jbd
        d_emitted = emitted - state.emitted
        if d_emitted > 0 and d_delay >= 0:
            value = d_delay / d_emitted
    state.jbd, state.emitted = delay, emitted
    return value
