"""Quality over time as a PNG: MOS, packet loss and RTT per track, call events marked.

matplotlib (Agg backend) is imported only when a chart is drawn, so the ack path and the CLI's
other commands never pay for it. Colours are the Okabe-Ito palette (safe for the common kinds
of colour blindness) and every track also has its own line style, so colour is never the only
cue. Values are averaged per minute so a 4-hour call stays readable at Slack's thumbnail size.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.health.tracks import TRACKS, Track
from bot.health.values import ms
from bot.realtimekit.models import Participant
from bot.render.escape import one_line
from bot.timeutil import parse_ts

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 6.4, 100
#: Okabe-Ito colours with line styles, one per track list.
STYLE: dict[str, tuple[str, str]] = {
    "audio_producer": ("#0072B2", "-"),
    "audio_consumer": ("#56B4E9", "--"),
    "video_producer": ("#D55E00", "-"),
    "video_consumer": ("#E69F00", "--"),
    "screenshare_video_producer": ("#009E73", "-."),
    "screenshare_video_consumer": ("#009E73", ":"),
    "screenshare_audio_producer": ("#CC79A7", "-."),
    "screenshare_audio_consumer": ("#CC79A7", ":"),
}
EVENT_COLOURS = {"join": "#009E73", "leave": "#555555", "reconnect": "#D55E00"}


@dataclass
class Series:
    """Per-minute means of one track list (minute offset from the call's start)."""

    track: Track
    mos: dict[int, list[float]] = field(default_factory=dict)
    loss: dict[int, list[float]] = field(default_factory=dict)
    rtt: dict[int, list[float]] = field(default_factory=dict)

    def points(self, name: str) -> tuple[list[int], list[float]]:
        data: dict[int, list[float]] = getattr(self, name)
        minutes = sorted(data)
        return minutes, [sum(data[m]) / len(data[m]) for m in minutes]


@dataclass(frozen=True)
class Marker:
    minute: float
    kind: str  # join | leave | reconnect


def _start(participant: Participant, samples: dict[str, Sequence[Any]]) -> float | None:
    joined = parse_ts(participant.joined_at)
    if joined is not None:
        return joined.timestamp()
    first = [
        ts.timestamp()
        for rows in samples.values()
        for ts in [parse_ts(rows[0].timestamp)]
        if rows and ts is not None
    ]
    return min(first) if first else None


def series_of(participant: Participant) -> tuple[list[Series], list[Marker]]:
    """The plotted data: one Series per non-empty track list, and the call's events."""
    quality = participant.peer_report.quality if participant.peer_report else None
    lists: dict[str, Sequence[Any]] = {}
    for track in TRACKS:
        rows = getattr(quality, track.key, None) if quality is not None else None
        if rows:
            lists[track.key] = rows
    start = _start(participant, lists)
    if start is None:
        return [], []
    out: list[Series] = []
    for track in TRACKS:
        rows = lists.get(track.key)
        if not rows:
            continue
        series = Series(track)
        count_field = "packets_sent" if track.sent else "packets_received"
        previous: dict[str, tuple[float, float]] = {}
        for row in rows:
            moment = parse_ts(row.timestamp)
            if moment is None:
                continue
            minute = int((moment.timestamp() - start) // 60)
            if row.mos_quality is not None and 0 <= row.mos_quality <= 5:
                series.mos.setdefault(minute, []).append(row.mos_quality)
            rtt = ms(getattr(row, "rtt", None))
            if rtt is not None and math.isfinite(rtt):
                series.rtt.setdefault(minute, []).append(rtt)
            lost, count = row.packets_lost, getattr(row, count_field)
            key = str(getattr(row, "producer_id", None) or getattr(row, "consumer_id", None))
            if lost is not None and count is not None:
                if key in previous:
                    d_lost = max(0.0, lost - previous[key][0])
                    d_count = count - previous[key][1]
                    total = d_count if track.sent else d_count + d_lost
                    if d_count >= 0 and total > 0:
                        pct = min(100.0, 100.0 * d_lost / total)
                        series.loss.setdefault(minute, []).append(pct)
                previous[key] = (lost, count)
        if series.mos or series.loss or series.rtt:
            out.append(series)
    return out, _markers(participant, start)


def _markers(participant: Participant, start: float) -> list[Marker]:
    markers: list[Marker] = []
    for event in participant.peer_events or []:
        moment = parse_ts(event.created_at)
        kind = {"PEER_JOINING": "join", "PEER_LEAVING": "leave"}.get(event.event_name or "")
        if moment is not None and kind:
            markers.append(Marker((moment.timestamp() - start) / 60, kind))
    metadata = participant.peer_report.metadata if participant.peer_report else None
    for item in (metadata.events if metadata else None) or []:
        name = (item.name or "").lower()
        moment = parse_ts(item.timestamp)
        if moment is not None and ("reconnect" in name or "ice_restart" in name):
            markers.append(Marker((moment.timestamp() - start) / 60, "reconnect"))
    return markers


def render_chart_png(participant: Participant) -> bytes:
    """The chart as PNG bytes (1000 × 640 px); says so plainly when there is nothing to plot."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    series, markers = series_of(participant)
    plt.rcParams.update({"font.size": 12, "axes.titlesize": 13, "axes.titleweight": "bold"})
    fig, axes = plt.subplots(3, 1, figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, sharex=True)
    try:
        # One line, and no ``$`` that matplotlib would read as the start of math text.
        name = one_line(participant.display_name or participant.id or "peer")[:60]
        name = name.replace("$", r"\$")
        fig.suptitle(f"Call quality over time — {name}", fontsize=14, fontweight="bold")
        panels = (
            ("mos", "MOS (1–5)", (1.0, 4.6)),
            ("loss", "Packet loss %", None),
            ("rtt", "Round-trip ms", None),
        )
        for ax, (metric, label, limits) in zip(axes, panels, strict=True):
            ax.set_ylabel(label)
            ax.grid(True, color="#dddddd", linewidth=0.8)
            for item in series:
                minutes, values = item.points(metric)
                if minutes:
                    colour, style = STYLE.get(item.track.key, ("#000000", "-"))
                    ax.plot(
                        minutes, values, style, color=colour, linewidth=2, label=item.track.label
                    )
            if limits:
                ax.set_ylim(*limits)
            for marker in markers:
                ax.axvline(
                    marker.minute,
                    color=EVENT_COLOURS[marker.kind],
                    linewidth=1.2,
                    linestyle=(0, (4, 3)),
                    alpha=0.8,
                )
        if not series:
            axes[1].text(
                0.5,
                0.5,
                "No quality samples in this report",
                ha="center",
                va="center",
                transform=axes[1].transAxes,
                fontsize=14,
            )
        axes[-1].set_xlabel("Minutes since joining (dashed lines: joins, leaves, reconnects)")
        if series:
            axes[0].legend(loc="lower left", fontsize=9, ncol=4, frameon=True)
        fig.tight_layout(rect=(0, 0, 1, 0.95))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI)
        return buffer.getvalue()
    finally:
        plt.close(fig)
