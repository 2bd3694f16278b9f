"""Units decided once per track, never per value (pure).

The SDK passes getStats values through in W3C units: per-sample ``rtt`` and ``jitter`` are
seconds, ``jitter_buffer_delay`` is a cumulative seconds counter (``realtimekit-sdk.md``). The
server's ``*_cumulative`` averages are milliseconds. Where a track has both, its samples are
checked against the cumulative average: the scale (x1000 for seconds, x1 for ms) whose result
lies closer to the average, on a log scale, wins. The comparison is a ratio, so the decision
does not change when every value of the track is scaled by the same factor. Without an average,
a track whose median is physically implausible in seconds is read in ms as a whole.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.health import thresholds as T
from bot.health.values import measured, num

SECONDS: float = 1000.0
MILLISECONDS: float = 1.0
_PROBE = 400  # samples looked at per track (evenly spread): enough for a median


@dataclass(frozen=True, slots=True)
class TrackUnits:
    """Multipliers that turn this track's raw per-sample latencies into ms."""

    latency: float = SECONDS  # per-sample rtt and jitter
    jitter_buffer: float = SECONDS  # growth of jitter_buffer_delay / growth of emitted count
    basis: Literal["w3c", "checked", "plausible"] = "w3c"
    #: Per-sample jitter, when it differs from ``latency`` (None = same as ``latency``).
    jitter: float | None = None

    @property
    def jitter_scale(self) -> float:
        return self.latency if self.jitter is None else self.jitter


def closer_scale(raw_median: float | None, avg_ms: float | None) -> float:
    """x1000 (seconds) or x1 (ms): whichever puts ``raw_median`` nearer ``avg_ms``.

    Without both numbers the W3C unit (seconds) stands. Ties go to seconds.
    """
    raw = measured(raw_median)
    avg = measured(avg_ms)
    if raw is None or avg is None:
        return SECONDS
    as_seconds = abs(math.log(raw * SECONDS / avg))
    as_ms = abs(math.log(raw / avg))
    return MILLISECONDS if as_ms < as_seconds else SECONDS


def _probe(values: Sequence[object]) -> Sequence[object]:
    if len(values) <= _PROBE:
        return values
    step = len(values) / _PROBE
    return [values[int(i * step)] for i in range(_PROBE)]


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def raw_latency_median(samples: Sequence[object], name: str) -> float | None:
    """Median of the positive raw values of ``name`` (``rtt`` / ``jitter``) in the samples."""
    values = [v for s in _probe(samples) if (v := measured(getattr(s, name, None))) is not None]
    return _median(values)


def raw_jitter_buffer_median(samples: Sequence[object]) -> float | None:
    """Median of growth(delay) / growth(emitted) between consecutive samples of a stream."""
    last: dict[str, tuple[float, float]] = {}
    ratios: list[float] = []
    for sample in samples:
        delay = num(getattr(sample, "jitter_buffer_delay", None))
        emitted = num(getattr(sample, "jitter_buffer_emitted_count", None))
        if delay is None or emitted is None:
            continue
        key = str(getattr(sample, "consumer_id", None) or getattr(sample, "ssrc", None) or "")
        previous = last.get(key)
        last[key] = (delay, emitted)
        if previous is None:
            continue
        d_delay, d_emitted = delay - previous[0], emitted - previous[1]
        if d_emitted > 0 and d_delay > 0:
            ratios.append(d_delay / d_emitted)
        if len(ratios) >= _PROBE:
            break
    return _median(ratios)


def decide(
    samples: Sequence[object] | None,
    *,
    sent: bool,
    rtt_avg_ms: float | None,
    jitter_buffer_avg_ms: float | None,
) -> TrackUnits:
    """The units of one track, decided once from the whole track.

    1. Where the track has a cumulative average (RTT for what was sent, jitter buffer for what
       was received), the samples are read in the unit that lands nearer to it.
    2. Without one they are W3C seconds, unless the track's own median would be physically
       implausible in seconds (RTT or jitter-buffer delay of 5 s or more, jitter of 1 s or
       more): then the whole track is in ms.
    """
    if not samples:
        return TrackUnits()
    jitter = raw_latency_median(samples, "jitter")
    # Jitter has no summary of its own: a median of 1 s or more in seconds is implausible.
    jitter_ms = MILLISECONDS if jitter is not None and jitter >= T.IMPLAUSIBLE_JITTER_S else None
    if sent and measured(rtt_avg_ms) is not None:
        scale = closer_scale(raw_latency_median(samples, "rtt"), rtt_avg_ms)
        return TrackUnits(latency=scale, jitter_buffer=scale, basis="checked", jitter=jitter_ms)
    if not sent and measured(jitter_buffer_avg_ms) is not None:
        scale = closer_scale(raw_jitter_buffer_median(samples), jitter_buffer_avg_ms)
        return TrackUnits(latency=scale, jitter_buffer=scale, basis="checked", jitter=jitter_ms)
    delay = raw_latency_median(samples, "rtt") if sent else raw_jitter_buffer_median(samples)
    if delay is not None and delay >= T.IMPLAUSIBLE_DELAY_S:
        return TrackUnits(latency=MILLISECONDS, jitter_buffer=MILLISECONDS, basis="plausible")
    if jitter_ms is not None:
        return TrackUnits(jitter=jitter_ms, basis="plausible")
    return TrackUnits()
