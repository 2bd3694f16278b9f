"""The SDK's own events as evidence: permissions, autoplay, muted tracks, backgrounding (pure).

``peer_report.metadata.events[]`` carries what the RealtimeKit SDK saw happen on the device
(``notes/realtimekit-sdk.md``). These are the classic support tickets: a microphone permission
denied ("nobody could hear me"), playback blocked by the autoplay policy ("I couldn't hear
anyone"), a camera busy in another app ("my camera didn't work"), a mobile app sent to the
background ("video froze when I switched apps"), a livestream player rebuffering. Each becomes
one plain finding with its ``action``.

Metadata keys are accepted in camelCase and snake_case (``deviceType`` / ``device_type``), and
values in any case. Findings go to the area whose remedy they need: permissions, devices and
autoplay to device; the livestream player's network loss to network; rebuffering and player
errors to quality.
"""

from __future__ import annotations

from collections import defaultdict

from bot.health import codes as C
from bot.health import event_thresholds as E
from bot.health.actions import add
from bot.health.event_log import Event, key, meta, times_text
from bot.health.findings import Findings
from bot.health.livestream import EventFindings, assess_livestream
from bot.health.permissions import assess_permissions
from bot.health.timeline import TimestampCache
from bot.realtimekit.models import Participant

__all__ = ["EventFindings", "assess_events"]


def assess_events(participant: Participant, times: TimestampCache) -> EventFindings:
    report = participant.peer_report
    metadata = report.metadata if report else None
    out = EventFindings()
    by_name: dict[str, list[Event]] = defaultdict(list)
    for item in (metadata.events if metadata else None) or []:
        name = key(item.name or "")
        if name:
            t = times.epoch(item.timestamp)
            by_name[name].append(Event(name, t, dict(item.metadata or {})))
    if not by_name:
        return out
    for events in by_name.values():
        events.sort(key=lambda e: (e.t is None, e.t or 0.0))
    start = times.epoch(participant.joined_at) or times.epoch(participant.created_at)
    end = times.epoch(participant.left_at)
    os_name = _os(participant)
    assess_permissions(by_name.get("mediapermission", []), out.device, os_name, start)
    _play_failed(by_name, out.device, start)
    _track_muted(by_name, out.device, start)
    _tab(by_name.get("tabchange", []), out.device, end)
    _backgrounded(by_name, out.device, end)
    assess_livestream(by_name, out, start)
    return out


def _os(participant: Participant) -> str:
    report = participant.peer_report
    info = report.metadata.device_info if report and report.metadata else None
    return (info.os or "").lower() if info else ""


def _play_failed(by_name: dict[str, list[Event]], found: Findings, start: float | None) -> None:
    for name, media, severity, code in (
        ("audioplayfailed", "audio", "critical", C.DEVICE_AUDIO_PLAY_FAILED),
        ("videoplayfailed", "video", "warning", C.DEVICE_VIDEO_PLAY_FAILED),
    ):
        events = by_name.get(name, [])
        if not events:
            continue
        count = f"{len(events)} times" if len(events) > 1 else "once"
        sense = "heard nobody" if media == "audio" else "saw no video"
        add(
            found,
            "critical" if severity == "critical" else "warning",
            code,
            f"The browser refused to play received {media} ({name.replace('playfailed', '')}"
            f"_play_failed {count}{times_text(events, start)}) — usually its autoplay policy: "
            f"they {sense} until they clicked on the page.",
            action=(
                "Ask them to click anywhere on the meeting page; the app should show an "
                f"'enable {media}' button when playback fails."
            ),
            headline=f"{media} playback blocked (autoplay)",
        )


def _track_muted(by_name: dict[str, list[Event]], found: Findings, start: float | None) -> None:
    for name, noun, media in (
        ("audiotrackmuted", "microphone", "audio"),
        ("videotrackmuted", "camera", "video"),
    ):
        events = by_name.get(name, [])
        if not events:
            continue
        count = f"{len(events)} times" if len(events) > 1 else "once"
        add(
            found,
            "warning",
            C.DEVICE_TRACK_MUTED,
            f"The {noun} stopped delivering {media} {count}{times_text(events, start)} "
            f"({media}_track_muted): another app took it, it was unplugged, or the OS "
            "interrupted it (e.g. a phone call) — the others lost their "
            f"{'voice' if media == 'audio' else 'picture'} meanwhile.",
            action=(
                f"Close other apps using the {noun}, check its cable or Bluetooth link, and "
                "rejoin if it does not come back."
            ),
            headline=f"{noun} stopped delivering {media}",
        )


# --- tab and app in the background -------------------------------------------------------------


def _stretches(
    events: list[tuple[float | None, bool]], end: float | None
) -> tuple[int, float | None]:
    """(times hidden, total seconds hidden or ``None`` when it cannot be told)."""
    hidden_at: float | None = None
    hidden = False
    count = 0
    total = 0.0
    exact = True
    for t, active in events:
        if not active and not hidden:
            hidden, hidden_at = True, t
            count += 1
        elif active and hidden:
            hidden = False
            if t is not None and hidden_at is not None:
                total += max(0.0, t - hidden_at)
            else:
                exact = False
    if hidden:
        if end is not None and hidden_at is not None and end >= hidden_at:
            total += end - hidden_at
        else:
            exact = False
    return count, (total if exact else None)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 90:
        return f", {seconds:.0f} s in total"
    return f", {seconds / 60:.0f} min in total"


def _tab(events: list[Event], found: Findings, end: float | None) -> None:
    flips: list[tuple[float | None, bool]] = []
    for event in events:
        value = meta(event, "isMeetingsTabActive", "is_meetings_tab_active", "active", "visible")
        if isinstance(value, bool):
            flips.append((event.t, value))
        elif isinstance(value, str) and value.lower() in ("true", "false"):
            flips.append((event.t, value.lower() == "true"))
    count, total = _stretches(flips, end)
    if not count:
        return
    add(
        found,
        "info",
        C.DEVICE_TAB_HIDDEN,
        f"The meeting tab went to the background {count} time{'s' if count != 1 else ''}"
        f"{_duration(total)} (tab_change): browsers throttle timers and video in background "
        "tabs, so their video may have stuttered for the others meanwhile.",
    )


def _backgrounded(by_name: dict[str, list[Event]], found: Findings, end: float | None) -> None:
    flips = [(e.t, False) for e in by_name.get("browserbackgrounded", [])]
    flips += [(e.t, True) for e in by_name.get("browserforegrounded", [])]
    if not flips:
        return
    flips.sort(key=lambda f: (f[0] is None, f[0] or 0.0, f[1]))
    count, total = _stretches(flips, end)
    if not count:
        return
    short = total is not None and total < E.BACKGROUND_NOTICEABLE_S
    add(
        found,
        "info" if short else "warning",
        C.DEVICE_APP_BACKGROUNDED,
        f"The app or browser was sent to the background {count} time"
        f"{'s' if count != 1 else ''}{_duration(total)} (browser_backgrounded): mobile "
        "browsers stop the camera, and often the microphone, until it comes back — the "
        "others saw a frozen picture meanwhile.",
        action=(
            "Keep the meeting in the foreground on mobile (or use an app with background audio "
            "enabled); switching apps freezes their video."
        ),
        headline=f"app in the background {count}×",
    )
