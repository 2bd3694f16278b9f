"""Delay: round-trip time (once, one number), audio jitter and audio jitter buffer (pure).

RTT is a property of this participant's path, so it is reported once: the sent audio's RTT
when measured (the conversation), else the worst sent video track's. Latency alone never makes
a call poor: a GEO satellite link (~600 ms) works, people just talk over each other.
Jitter and jitter-buffer rules are audio rules (ITU/vendor voice thresholds): video has its own
frame-rate and freeze measures. Mouth-to-ear is estimated from the audio path's own parts only
(half the sent audio's RTT plus the received audio's jitter buffer), or not at all.
"""

from __future__ import annotations

from bot.health import codes as C
from bot.health import thresholds as T
from bot.health.findings import STATUS_SEVERITY, Findings, band
from bot.health.model import STATUS_RANK, Status
from bot.health.quality_levels import TrackLevel
from bot.health.values import fmt_ms, fmt_share

_ACTION_RTT = (
    "Expect people to talk over each other; if the participant is far from the media server "
    "or on a satellite/VPN link, a closer or direct network helps."
)
_ACTION_JITTER = (
    "Packets arrive unevenly: use a cable or a less busy Wi-Fi channel, and stop large "
    "transfers on the same line."
)


def _when(level: TrackLevel, name: str, what: str) -> str:
    window = level.window(name)
    phrase = window.phrase() if window is not None else ""
    return f"; {what} {phrase}" if phrase else ""


def rtt_level(levels: list[TrackLevel]) -> TrackLevel | None:
    """The one track whose RTT speaks for the path."""
    sent = [lv for lv in levels if lv.track.sent and (lv.rtt_ms or lv.rtt_ge500 or lv.rtt_ge250)]
    audio = [lv for lv in sent if lv.track.media == "audio" and not lv.track.screenshare]
    pool = audio or sent
    return max(pool, key=lambda lv: (STATUS_RANK[rtt_status(lv)], lv.rtt_ms or 0.0), default=None)


def rtt_status(level: TrackLevel) -> Status:
    """Warning above 300 ms (or long stretches at 500 ms+); never poor from latency alone."""
    status: Status = "good"
    if level.rtt_ms is not None and level.rtt_ms > T.RTT_POOR_MS:
        status = "fair"
    if level.rtt_ge500 is not None and level.rtt_ge500 >= T.RTT_GE500_SHARE_POOR:
        status = "fair"
    return status


def jb_status(level: TrackLevel) -> Status:
    status: Status = "good"
    if level.jb_ms is not None:
        status = band(level.jb_ms, T.JB_DELAY_FAIR_MS, T.JB_DELAY_POOR_MS)
    if level.jb_ge500 is not None and level.jb_ge500 >= T.JB_GE500_SHARE_POOR:
        status = "poor"
    return status


def judge_latency(levels: list[TrackLevel], found: Findings) -> Status:
    """Adds the RTT, jitter / jitter-buffer and mouth-to-ear findings; returns the RTT status."""
    rtt = rtt_level(levels)
    status: Status = "unknown"
    if rtt is not None:
        status = rtt_status(rtt)
    audio = [lv for lv in levels if lv.track.media == "audio"]
    jb_level = max(
        (lv for lv in audio if not lv.track.sent and (lv.jb_ms or lv.jb_ge500)),
        key=lambda lv: (STATUS_RANK[jb_status(lv)], lv.jb_ms or 0.0),
        default=None,
    )
    jitter_level = max(
        (lv for lv in audio if lv.jitter_ms is not None),
        key=lambda lv: lv.jitter_ms or 0.0,
        default=None,
    )
    jb_bad = jb_level is not None and jb_status(jb_level) != "good"
    if jb_level is not None and jb_bad:
        _jb_finding(jb_level, jitter_level, found)
    elif jitter_level is not None and jitter_level.jitter_ms is not None:
        _jitter_finding(jitter_level, jitter_level.jitter_ms, found)
    delayed = False
    if status in ("good", "unknown") and not jb_bad and rtt is not None and jb_level is not None:
        delayed = _mouth_to_ear(rtt, jb_level, found)
    if rtt is not None and not delayed:  # one delay finding: mouth-to-ear already quotes RTT
        _rtt_finding(rtt, status, found)
    return status


def _rtt_finding(level: TrackLevel, status: Status, found: Findings) -> None:
    avg = level.rtt_ms
    if status == "good":
        if avg is not None and avg >= T.RTT_FAIR_MS:
            found.add(
                "info",
                C.QUALITY_RTT_HIGH,
                f"Round-trip time on {level.track.label} averaged {fmt_ms(avg)}: noticeable "
                f"but within the {fmt_ms(T.RTT_POOR_MS)} that keeps a conversation natural "
                "(ITU-T G.114).",
            )
        return
    head = (
        f"Round-trip time on {level.track.label} averaged {fmt_ms(avg)}"
        if avg is not None
        else f"Round-trip time on {level.track.label} had long spikes"
    )
    extra = f" (500 ms+ in {fmt_share(level.rtt_ge500)} of samples)" if level.rtt_ge500 else ""
    found.add(
        STATUS_SEVERITY[status],
        C.QUALITY_RTT_HIGH,
        f"{head}{extra}, above the {fmt_ms(T.RTT_POOR_MS)} that keeps a conversation natural "
        "(ITU-T G.114): speech arrives late and people talk over each other, but media still "
        f"flows{_when(level, 'rtt', f'above {fmt_ms(T.RTT_POOR_MS)}')}.",
        f"RTT {fmt_ms(avg)}" if avg is not None else "RTT spikes",
        action=_ACTION_RTT,
    )


def _jb_finding(level: TrackLevel, jitter: TrackLevel | None, found: Findings) -> None:
    status = jb_status(level)
    avg = level.jb_ms
    label = level.track.label
    head = (
        f"{label.capitalize()} waited {fmt_ms(avg)} on average in the jitter buffer"
        if avg is not None
        else f"{label.capitalize()} had long jitter-buffer delays"
    )
    extra = f" (500 ms+ in {fmt_share(level.jb_ge500)} of samples)" if level.jb_ge500 else ""
    cause = (
        f"; jitter averaged {fmt_ms(jitter.jitter_ms)}"
        if jitter is not None and jitter.jitter_ms is not None
        else ""
    )
    found.add(
        STATUS_SEVERITY[status],
        C.QUALITY_JITTER_BUFFER_HIGH,
        f"{head}{extra}{cause}: packets arrived unevenly, so playback was held back (over "
        f"{fmt_ms(T.JB_DELAY_FAIR_MS)} adds noticeably to the delay)"
        f"{_when(level, 'jb', f'above {fmt_ms(T.JB_DELAY_POOR_MS)}')}.",
        f"jitter buffer {fmt_ms(avg)}" if avg is not None else "jitter-buffer spikes",
        action=_ACTION_JITTER,
    )


def _jitter_finding(level: TrackLevel, jitter_ms: float, found: Findings) -> None:
    status = band(jitter_ms, T.JITTER_FAIR_MS, T.JITTER_POOR_MS)
    if status == "good":
        return
    found.add(
        STATUS_SEVERITY[status],
        C.QUALITY_JITTER_HIGH,
        f"Jitter on {level.track.label} averaged {fmt_ms(jitter_ms)} (uneven packet arrival; "
        f"under {fmt_ms(T.JITTER_FAIR_MS)} is good for audio)"
        f"{_when(level, 'jitter', f'above {fmt_ms(T.JITTER_POOR_MS)}')}.",
        f"jitter {fmt_ms(jitter_ms)}",
        action=_ACTION_JITTER,
    )


def _mouth_to_ear(rtt: TrackLevel, jb: TrackLevel, found: Findings) -> bool:
    if rtt.track.media != "audio" or rtt.rtt_ms is None or jb.jb_ms is None:
        return False
    one_way = rtt.rtt_ms / 2 + jb.jb_ms
    if one_way <= T.ONE_WAY_DELAY_FAIR_MS:
        return False
    found.add(
        "warning",
        C.QUALITY_LATENCY_HIGH,
        f"This participant's share of the mouth-to-ear delay was about {fmt_ms(one_way)} "
        f"(half the {fmt_ms(rtt.rtt_ms)} audio round trip plus {fmt_ms(jb.jb_ms)} of audio "
        f"jitter buffer), above the {fmt_ms(T.ONE_WAY_DELAY_FAIR_MS)} one way that keeps a "
        "conversation natural (ITU-T G.114).",
        f"delay ~{fmt_ms(one_way)} one way",
        action=_ACTION_RTT,
    )
    return True
