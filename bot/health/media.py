"""Per-media-kind verdicts: audio MOS, camera video, screen share (pure).

- Audio: the ITU-T MOS bands (G.107 E-model user satisfaction), once, for the worst audio track.
  MOS is an audio measure: video and screen share are never judged on it.
- Camera video: frame rate, sent resolution (Cloudflare's 240 px minimum, and a drop against
  the stream's own baseline after start-up), encoder limitation, freezes. A received
  resolution change alone is no fault: the media server picks the layer that fits the tile.
- Screen share: Cloudflare's minimums (>= 720 px, >= 3 fps). Slides are sent at a few fps by
  design, so low screen-share frame rate alone is only noted.
- Encoder limitation by CPU or bandwidth is one cause, reported under device / network; here
  it is only noted once, and the sent track's resolution and frame rate are not judged again.
"""

from __future__ import annotations

from bot.health import codes as C
from bot.health import thresholds as T
from bot.health.findings import STATUS_SEVERITY, Findings, band
from bot.health.model import STATUS_RANK, Status
from bot.health.quality_levels import TrackLevel
from bot.health.values import fmt_num, fmt_share

_ACTION_MOS = "See the loss and delay findings for the cause; fix that first."
_ACTION_FPS = "Close other video apps and browser tabs, and check the sender's CPU and upload."
_ACTION_SCREEN = "Share a single window or a smaller screen area, or check the sharer's upload."


def _when(level: TrackLevel, name: str, what: str) -> str:
    window = level.window(name)
    phrase = window.phrase() if window is not None else ""
    return f"; {what} {phrase}" if phrase else ""


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def judge_mos(levels: list[TrackLevel], found: Findings) -> None:
    """One MOS finding, for the worst audio track (audio only)."""
    audio = [lv for lv in levels if lv.track.media == "audio" and lv.mos_avg is not None]
    worst = min(audio, key=lambda lv: lv.mos_avg or 5.0, default=None)
    if worst is None or worst.mos_avg is None:
        return
    avg = worst.mos_avg
    status = band(avg, T.MOS_GOOD, T.MOS_POOR, higher_is_worse=False)
    if status == "good":
        return
    median = (
        f" (median {worst.mos_p50:.1f})"
        if worst.mos_p50 is not None and round(worst.mos_p50, 1) != round(avg, 1)
        else ""
    )
    if avg < T.MOS_SEVERE:
        verdict = f"well below {T.MOS_SEVERE}, where nearly all users are dissatisfied"
    elif status == "poor":
        verdict = f"below {T.MOS_POOR}, where many users are dissatisfied"
    else:
        verdict = f"a little under the {T.MOS_GOOD} of a good call"
    others = len(audio) - 1
    also = (
        f" ({others} other audio track{'s' if others != 1 else ''} measured too)" if others else ""
    )
    found.add(
        STATUS_SEVERITY[status],
        C.QUALITY_AUDIO_MOS_LOW,
        f"{_cap(worst.track.label)}: estimated audio quality (MOS) averaged {avg:.1f} out of 5"
        f"{median}, {verdict} (ITU-T G.107){also}"
        f"{_when(worst, 'mos', f'below {T.MOS_POOR}')}.",
        f"MOS {avg:.1f} on {worst.track.label}",
        action=_ACTION_MOS,
    )


def limited_by_cause(level: TrackLevel) -> bool:
    """CPU or bandwidth held this sent track back (reported under device / network)."""
    shares = (level.cpu_share or 0.0, level.bandwidth_share or 0.0)
    return level.track.sent and max(shares) >= T.LIMITED_SHARE_FAIR


def judge_video(levels: list[TrackLevel], found: Findings) -> None:
    video = [lv for lv in levels if lv.track.media == "video"]
    _limitation(video, found)
    for level in video:
        if level.track.screenshare:
            _screen(level, found)
        else:
            _camera(level, found)
        _issues(level, found)


def _limitation(video: list[TrackLevel], found: Findings) -> None:
    limited = [lv for lv in video if lv.track.sent and lv.limited_share is not None]
    worst = max(limited, key=lambda lv: lv.limited_share or 0.0, default=None)
    if worst is None or worst.limited_share is None:
        return
    status = band(worst.limited_share, T.LIMITED_SHARE_FAIR, T.LIMITED_SHARE_POOR)
    if status == "good":
        return
    label = worst.track.label
    causes = []
    if worst.cpu_share:
        causes.append(f"CPU {fmt_share(worst.cpu_share)}")
    if worst.bandwidth_share:
        causes.append(f"bandwidth {fmt_share(worst.bandwidth_share)}")
    cause = f" ({', '.join(causes)})" if causes else ""
    if limited_by_cause(worst):
        where = "device" if (worst.cpu_share or 0) >= (worst.bandwidth_share or 0) else "network"
        found.add(
            "info",
            C.QUALITY_ENCODER_LIMITED,
            f"The {label} encoder was held back {fmt_share(worst.limited_share)} of the time"
            f"{cause}, so it sent lower resolution or frame rate; the cause is judged under "
            f"{where}.",
        )
        return
    found.add(
        STATUS_SEVERITY[status],
        C.QUALITY_ENCODER_LIMITED,
        f"The {label} encoder was held back {fmt_share(worst.limited_share)} of the time"
        f"{cause}, so it sent lower resolution or frame rate.",
        f"{label} limited {fmt_share(worst.limited_share)} of the time",
        action="Close other apps using the camera or CPU and check the upload.",
    )


def _fps_status(level: TrackLevel) -> Status:
    if level.fps is None:
        return "unknown"
    return band(level.fps, T.CAMERA_FPS_GOOD, T.CAMERA_FPS_POOR, higher_is_worse=False)


def _camera(level: TrackLevel, found: Findings) -> None:
    label, cap = level.track.label, _cap(level.track.label)
    explained = limited_by_cause(level)
    status = _fps_status(level)
    if status in ("fair", "poor") and not explained and level.fps is not None:
        look = "motion looks jerky" if status == "poor" else "motion is less smooth"
        found.add(
            STATUS_SEVERITY[status],
            C.QUALITY_VIDEO_FPS_LOW,
            f"{cap} averaged {fmt_num(round(level.fps, 1))} fps after start-up ({look}; "
            f"{fmt_num(T.CAMERA_FPS_GOOD)} fps or more is good, below "
            f"{fmt_num(T.CAMERA_FPS_POOR)} is 'lagging' for Cloudflare)"
            f"{_when(level, 'fps', f'below {fmt_num(T.CAMERA_FPS_POOR)} fps')}.",
            f"{fmt_num(round(level.fps, 1))} fps on {label}",
            action=_ACTION_FPS,
        )
    if not level.track.sent or explained:
        return
    drop = level.width_drop
    drop_status: Status = (
        band(drop.drop, T.WIDTH_DROP_FAIR, T.WIDTH_DROP_POOR) if drop is not None else "good"
    )
    res_status: Status = (
        band(level.poor_resolution, T.POOR_RESOLUTION_SHARE_FAIR, T.POOR_RESOLUTION_SHARE_POOR)
        if level.poor_resolution is not None
        else "good"
    )
    text = ""
    if drop is not None and drop_status != "good":
        text = (
            f"{cap} resolution fell from {drop.baseline:.0f} px wide (its own level after "
            f"start-up) to {drop.after:.0f} px on average ({drop.drop:.0%} smaller)"
            f"{_when(level, 'width', 'below half that width')}"
        )
    elif level.width is not None and level.width < T.CAMERA_MIN_WIDTH_PX:
        drop_status = "fair"
        text = (
            f"{cap} was {level.width:.0f} px wide after start-up, below the "
            f"{T.CAMERA_MIN_WIDTH_PX:.0f} px Cloudflare counts as low quality"
        )
    if STATUS_RANK[res_status] > STATUS_RANK[drop_status] and level.poor_resolution is not None:
        drop_status = res_status
        text = f"{cap} was at a poor resolution {fmt_share(level.poor_resolution)} of the time"
    if drop_status in ("fair", "poor"):
        found.add(
            STATUS_SEVERITY[drop_status],
            C.QUALITY_RESOLUTION_LOW,
            text + ".",
            f"low resolution on {label}",
            action="Check the camera settings and the sender's CPU and upload.",
        )


def _screen(level: TrackLevel, found: Findings) -> None:
    label, cap = level.track.label, _cap(level.track.label)
    if level.fps is not None and level.fps < T.SCREEN_FPS_MIN:
        found.add(
            "info",
            C.QUALITY_SCREENSHARE_FPS_LOW,
            f"{cap} averaged {fmt_num(round(level.fps, 1))} fps, below Cloudflare's "
            f"{fmt_num(T.SCREEN_FPS_MIN)} fps minimum; fine for slides, choppy for video or "
            "scrolling.",
        )
    if level.track.sent and limited_by_cause(level):
        return
    if level.width is not None and level.width < T.SCREEN_MIN_WIDTH_PX:
        found.add(
            "warning",
            C.QUALITY_SCREENSHARE_RESOLUTION_LOW,
            f"{cap} was {level.width:.0f} px wide after start-up, below Cloudflare's "
            f"{T.SCREEN_MIN_WIDTH_PX:.0f} px minimum for screen share: small text is hard to "
            "read.",
            f"{label} {level.width:.0f} px wide",
            action=_ACTION_SCREEN,
        )


def _issues(level: TrackLevel, found: Findings) -> None:
    label, cap = level.track.label, _cap(level.track.label)
    if level.lag_share is not None and not level.track.sent:
        status = band(level.lag_share, T.LAG_SHARE_FAIR, T.LAG_SHARE_POOR)
        if status != "good":
            found.add(
                STATUS_SEVERITY[status],
                C.QUALITY_VIDEO_LAG,
                f"{cap} froze or lagged {fmt_share(level.lag_share)} of the time"
                f"{_when(level, 'freeze', 'frozen')}.",
                f"{label} lagged {fmt_share(level.lag_share)}",
                action="Check the loss findings and the sender's report (CPU, upload).",
            )
    if level.no_video_share is not None and level.no_video_share >= T.NO_VIDEO_SHARE_FAIR:
        sent = level.track.sent
        found.add(
            "warning" if sent else "info",
            C.QUALITY_VIDEO_MISSING,
            f"{cap} carried no frames {fmt_share(level.no_video_share)} of the time while the "
            "track existed"
            + (
                " (camera stuck, or taken by another app)."
                if sent
                else " (a paused or hidden sender's video is normal)."
            ),
            f"no frames on {label} {fmt_share(level.no_video_share)}" if sent else "",
            action="Check that no other app holds the camera." if sent else None,
        )
    share = level.negative_feedback_share
    if share is not None and share >= T.NEGATIVE_FEEDBACK_SHARE_FAIR:
        found.add(
            "info",
            C.QUALITY_NEGATIVE_FEEDBACK_HIGH,
            f"Receivers of the {label} kept asking for retransmissions or fresh key frames "
            f"(heavy NACK/PLI feedback in {fmt_share(share)} of samples) — a sign of loss on "
            "the path.",
        )
    if level.key_frame_share is not None and level.key_frame_share >= T.KEY_FRAME_SHARE_NOTE:
        found.add(
            "info",
            C.QUALITY_KEY_FRAMES_FREQUENT,
            f"Key frames made up {fmt_share(level.key_frame_share)} of the {label} "
            "(full-picture refreshes, usually requested after loss).",
        )
