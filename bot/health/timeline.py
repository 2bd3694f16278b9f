"""Per-sample windows: *when* a track was bad, from one pass over its sample list (pure).

Each list is read once, with units decided beforehand for the whole track
(:mod:`bot.health.units`). Per-sample packet loss comes from deltas of the getStats-style
monotonic counters ``packets_lost`` / ``packets_received`` (or ``packets_sent``), per stream
(``consumer_id`` / ``producer_id`` and ``ssrc``, so simulcast layers are separate streams); a
counter that goes backwards is a restart and starts a new baseline. Received loss is also
totalled per remote sender (``peer_id``, else ``producer_id``) for attribution.

The first ``STARTUP_S`` of each stream is start-up (bandwidth estimation ramps up): frame rate,
width and encoder limitation measured then are set aside. A sent stream's resolution baseline
is its widest frame in the ``WIDTH_BASELINE_S`` after start-up, and only later samples of the
same stream are compared with it. Received resolution is never compared with a baseline (the
media server picks the layer that fits the viewer's tile).

Samples are bucketed by UTC minute. A minute is *bad* for a condition when at least half of
its samples that carry the measurement are bad; the worst stretch is the longest run of
consecutive bad minutes. Without timestamps the window counts samples instead of minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from bot.health import thresholds as T
from bot.health.tracks import Track
from bot.health.units import TrackUnits
from bot.health.values import clock
from bot.realtimekit.models import (
    AudioConsumerSample,
    AudioProducerSample,
    VideoConsumerSample,
    VideoProducerSample,
)
from bot.timeutil import parse_ts

Sample = AudioConsumerSample | AudioProducerSample | VideoConsumerSample | VideoProducerSample

#: Conditions evaluated on every sample that carries the measurement.
CONDITIONS: tuple[str, ...] = (
    "loss",
    "rtt",
    "jitter",
    "jb",
    "mos",
    "fps",
    "width",
    "cpu",
    "bw",
    "freeze",
)
CONDITION_INDEX = {name: i for i, name in enumerate(CONDITIONS)}


def loss_poor_pct(track: Track) -> float:
    return T.AUDIO_LOSS_POOR_PCT if track.media == "audio" else T.VIDEO_LOSS_POOR_PCT


def fps_poor(track: Track) -> float:
    return T.SCREEN_FPS_MIN if track.screenshare else T.CAMERA_FPS_POOR


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
class SenderCounts:
    """Packets received from one remote sender on one track (summed over its streams)."""

    lost: float = 0.0
    total: float = 0.0
    samples: int = 0


@dataclass(frozen=True, slots=True)
class WidthDrop:
    """The sent stream whose width fell most below its own baseline."""

    baseline: float
    after: float

    @property
    def drop(self) -> float:
        return max(0.0, 1.0 - self.after / self.baseline)


@dataclass(slots=True)
class TrackTimeline:
    """Everything one pass over a sample list yields."""

    track: Track
    units: TrackUnits = field(default_factory=TrackUnits)
    samples: int = 0
    first_ts: float | None = None
    last_ts: float | None = None
    packets_lost: float = 0.0
    packets_total: float = 0.0
    sums: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    width_drop: WidthDrop | None = None
    #: Widest post-start-up average of any stream (the top simulcast layer for a sender).
    width_top: float | None = None
    reasons: dict[str, int] = field(default_factory=dict)
    limit_seconds: dict[str, float] = field(default_factory=dict)
    #: Limitation seen during start-up only (reason -> seconds or samples).
    startup_limits: dict[str, float] = field(default_factory=dict)
    senders: dict[str, SenderCounts] = field(default_factory=dict)
    #: Received video: samples where packets arrived but no frame was decoded (frozen picture).
    frozen: int = 0
    freeze_checked: int = 0
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
        """Share of post-start-up time the encoder was limited by ``reason``."""
        total = sum(self.limit_seconds.values())
        if total > 0:
            return self.limit_seconds.get(reason, 0.0) / total
        counted = sum(self.reasons.values())
        if counted > 0:
            return self.reasons.get(reason, 0) / counted
        return None

    @property
    def freeze_share(self) -> float | None:
        return self.frozen / self.freeze_checked if self.freeze_checked else None

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


def window_of(buckets: dict[int, list[int]], untimed: list[int], index: int) -> Window | None:
    """The window of condition ``index`` from per-minute (or untimed) [evaluated, bad] rows."""
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
