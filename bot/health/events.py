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
from dataclasses import dataclass, field

from bot.health import codes as C
from bot.health import event_thresholds as E
from bot.health.actions import add
from bot.health.findings import Findings
from bot.health.model import Severity
from bot.health.timeline import TimestampCache
from bot.health.values import clock
from bot.realtimekit.models import Participant, ReportEvent, ScalarValue
from bot.timeutil import fmt_offset

_PROBLEMS = ("DENIED", "SYSTEM_DENIED", "COULD_NOT_START", "NO_DEVICES_AVAILABLE", "CANCELED")

_NOUN = {"AUDIO": "microphone", "VIDEO": "camera", "SPEAKER": "speaker", "SCREENSHARE": "screen"}
_IMPACT = {
    "AUDIO": "the others could not hear them",
    "VIDEO": "the others could not see them",
    "SPEAKER": "they may not have heard the others on the chosen speaker",
    "SCREENSHARE": "their screen was not shared",
}
_CODE = {
    "DENIED": C.DEVICE_PERMISSION_DENIED,
    "SYSTEM_DENIED": C.DEVICE_PERMISSION_SYSTEM_DENIED,
    "COULD_NOT_START": C.DEVICE_COULD_NOT_START,
    "NO_DEVICES_AVAILABLE": C.DEVICE_NO_DEVICES,
    "CANCELED": C.DEVICE_PERMISSION_CANCELED,
}
_WHY = {
    "DENIED": "the user refused the browser's permission prompt",
    "SYSTEM_DENIED": "the operating system blocks the browser from it",
    "COULD_NOT_START": "the device could not be started (busy in another app, or failed)",
    "NO_DEVICES_AVAILABLE": "no such device was found",
    "CANCELED": "the user closed the browser's prompt without choosing",
}
#: macOS / Windows privacy pane names per device type.
_MAC_PANE = {
    "AUDIO": "Microphone",
    "VIDEO": "Camera",
    "SCREENSHARE": "Screen & System Audio Recording",
    "SPEAKER": "Microphone",
}


@dataclass(slots=True)
class EventFindings:
    """Findings from the SDK's events, by the area they belong to."""

    device: Findings = field(default_factory=Findings)
    network: Findings = field(default_factory=Findings)
    quality: Findings = field(default_factory=Findings)
    #: The report comes from a livestream viewer (``ivs_player_*`` events).
    livestream_viewer: bool = False


@dataclass(frozen=True, slots=True)
class _Event:
    name: str
    t: float | None
    metadata: dict[str, ScalarValue]


def key(text: str) -> str:
    """``deviceType``, ``device_type`` and ``DEVICE-TYPE`` all become ``devicetype``."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def meta(event: ReportEvent | _Event, *names: str) -> ScalarValue:
    """The first of ``names`` present in the event's metadata, camelCase or snake_case."""
    metadata = event.metadata or {}
    wanted = [key(n) for n in names]
    found = {key(k): v for k, v in metadata.items()}
    for name in wanted:
        if name in found and found[name] is not None:
            return found[name]
    return None


def _upper(value: ScalarValue) -> str:
    """``system_denied`` / ``SYSTEM-DENIED`` -> ``SYSTEM_DENIED``."""
    if value is None:
        return ""
    return "_".join(str(value).strip().upper().replace("-", " ").replace("_", " ").split())


def assess_events(participant: Participant, times: TimestampCache) -> EventFindings:
    report = participant.peer_report
    metadata = report.metadata if report else None
    out = EventFindings()
    by_name: dict[str, list[_Event]] = defaultdict(list)
    for item in (metadata.events if metadata else None) or []:
        name = key(item.name or "")
        if name:
            t = times.epoch(item.timestamp)
            by_name[name].append(_Event(name, t, dict(item.metadata or {})))
    if not by_name:
        return out
    for events in by_name.values():
        events.sort(key=lambda e: (e.t is None, e.t or 0.0))
    start = times.epoch(participant.joined_at) or times.epoch(participant.created_at)
    end = times.epoch(participant.left_at)
    os_name = _os(participant)
    _permissions(by_name.get("mediapermission", []), out.device, os_name, start)
    _play_failed(by_name, out.device, start)
    _track_muted(by_name, out.device, start)
    _tab(by_name.get("tabchange", []), out.device, end)
    _backgrounded(by_name, out.device, end)
    _livestream(by_name, out, start)
    return out


def _os(participant: Participant) -> str:
    report = participant.peer_report
    info = report.metadata.device_info if report and report.metadata else None
    return (info.os or "").lower() if info else ""


def _at(t: float | None, start: float | None) -> str:
    if t is None:
        return ""
    text = f" at {clock(t)} UTC"
    if start is not None and t >= start:
        text += f" ({fmt_offset(t - start)})"
    return text


def _times(events: list[_Event], start: float | None) -> str:
    """`` at 14:03 UTC (3 min in)`` or ``, first at …`` for several."""
    timed = [e.t for e in events if e.t is not None]
    if not timed:
        return ""
    if len(events) == 1:
        return _at(timed[0], start)
    return "," + _at(timed[0], start).replace(" at ", " first at ", 1)


# --- media_permission --------------------------------------------------------------------------


def _permissions(events: list[_Event], found: Findings, os_name: str, start: float | None) -> None:
    by_device: dict[str, list[_Event]] = defaultdict(list)
    for event in events:
        device = _upper(meta(event, "deviceType", "device_type", "kind", "type"))
        by_device[device.replace("_", "")].append(event)
    for device, items in by_device.items():
        noun = _NOUN.get(device, device.lower() or "device")
        problems = [(i, e) for i, e in enumerate(items) if _permission(e) in _PROBLEMS]
        if not problems:
            continue
        index, first = problems[-1]
        permission = _permission(first)
        later_ok = any(_permission(e) == "ACCEPTED" for e in items[index + 1 :])
        code = _CODE[permission]
        what = f"media_permission {permission}{_at(first.t, start)}"
        if later_ok:
            add(
                found,
                "info",
                code,
                f"The {noun} was blocked at first ({_WHY[permission]}; {what}) but allowed "
                "later in the call.",
            )
            continue
        severity = _permission_severity(device, permission)
        impact = _IMPACT.get(device, "the device could not be used")
        add(
            found,
            severity,
            code,
            f"The {noun} could not be used: {_WHY[permission]} ({what}) — {impact}.",
            action=_permission_action(device, permission, noun, os_name),
            headline=f"{noun} {_SHORT[permission]}",
        )


_SHORT = {
    "DENIED": "permission denied",
    "SYSTEM_DENIED": "blocked by the OS",
    "COULD_NOT_START": "could not start",
    "NO_DEVICES_AVAILABLE": "not found",
    "CANCELED": "prompt closed",
}


def _permission(event: _Event) -> str:
    return _upper(meta(event, "permission", "status", "state"))


def _permission_severity(device: str, permission: str) -> Severity:
    if permission == "CANCELED":
        return "warning" if device == "AUDIO" else "info"
    return "critical" if device == "AUDIO" else "warning"


def _permission_action(device: str, permission: str, noun: str, os_name: str) -> str:
    if permission == "DENIED":
        return (
            f"Allow the {noun} for this site: click the lock or {noun} icon in the address "
            "bar, choose Allow, then reload and rejoin."
        )
    if permission == "SYSTEM_DENIED":
        if "mac" in os_name or "os x" in os_name:
            return (
                f"macOS blocks the browser from the {noun}: System Settings → Privacy & Security "
                f"→ {_MAC_PANE.get(device, 'Microphone')} → turn the browser on, then restart it."
            )
        if "windows" in os_name:
            return (
                f"Windows blocks the browser from the {noun}: Settings → Privacy & security → "
                f"{_MAC_PANE.get(device, 'Microphone')} → allow desktop apps (the browser) access."
            )
        return (
            f"The operating system blocks the browser from the {noun}: allow the browser in "
            "the OS privacy settings, then restart the browser."
        )
    if permission == "COULD_NOT_START":
        return (
            f"Close other apps that may hold the {noun} (Zoom, Teams, another tab), or unplug "
            "and replug it, then rejoin."
        )
    if permission == "NO_DEVICES_AVAILABLE":
        return (
            f"Connect a {noun} (or enable it in the OS sound/camera settings), then rejoin."
            if device != "SCREENSHARE"
            else "Screen sharing is not available in this browser or device; use a desktop browser."
        )
    return f"Ask them to allow the {noun} when the browser asks, and choose one in the prompt."


# --- playback, muted tracks --------------------------------------------------------------------


def _play_failed(by_name: dict[str, list[_Event]], found: Findings, start: float | None) -> None:
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
            f"_play_failed {count}{_times(events, start)}) — usually its autoplay policy: "
            f"they {sense} until they clicked on the page.",
            action=(
                "Ask them to click anywhere on the meeting page; the app should show an "
                f"'enable {media}' button when playback fails."
            ),
            headline=f"{media} playback blocked (autoplay)",
        )


def _track_muted(by_name: dict[str, list[_Event]], found: Findings, start: float | None) -> None:
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
            f"The {noun} stopped delivering {media} {count}{_times(events, start)} "
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


def _tab(events: list[_Event], found: Findings, end: float | None) -> None:
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


def _backgrounded(by_name: dict[str, list[_Event]], found: Findings, end: float | None) -> None:
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


# --- livestream viewers (IVS player) -----------------------------------------------------------


def _livestream(by_name: dict[str, list[_Event]], out: EventFindings, start: float | None) -> None:
    if not any(name.startswith("ivsplayer") or name == "livestreamlatency" for name in by_name):
        return
    out.livestream_viewer = True
    rebuffer = by_name.get("ivsplayerrebuffering", [])
    if rebuffer:
        many = len(rebuffer) >= E.REBUFFER_POOR_COUNT
        add(
            out.quality,
            "critical" if many else "warning",
            C.QUALITY_LIVESTREAM_REBUFFERING,
            f"The livestream player stalled to rebuffer {len(rebuffer)} time"
            f"{'s' if len(rebuffer) != 1 else ''}{_times(rebuffer, start)} "
            "(ivs_player_rebuffering): the viewer's download could not keep up with the stream.",
            action=(
                "Check the viewer's download (other downloads, Wi-Fi signal, VPN); a wired or "
                "faster network stops the stalls."
            ),
            headline=f"livestream rebuffered {len(rebuffer)}×",
        )
    offline = by_name.get("ivsplayernetworkunavailable", [])
    if offline:
        add(
            out.network,
            "critical",
            C.NETWORK_PLAYER_OFFLINE,
            f"The livestream player lost its network connection{_times(offline, start)} "
            "(ivs_player_network_unavailable): the viewer's internet dropped.",
            action="Check the viewer's internet connection (Wi-Fi, VPN, mobile signal).",
            headline="viewer's network dropped",
        )
    errors = by_name.get("ivsplayererror", [])
    if errors:
        detail = meta(errors[0], "message", "error", "code", "type")
        said = f": {str(detail)[:80]}" if detail is not None else ""
        add(
            out.quality,
            "critical",
            C.QUALITY_PLAYER_ERROR,
            f"The livestream player failed{said} (ivs_player_error{_times(errors, start)}): "
            "playback stopped.",
            action="Ask the viewer to reload the page; if it repeats, check the stream is live.",
            headline="livestream player failed",
        )
    recoverable = by_name.get("ivsplayerrecoverableerror", [])
    if recoverable:
        add(
            out.quality,
            "info",
            C.QUALITY_PLAYER_ERROR,
            f"The livestream player recovered from {len(recoverable)} error"
            f"{'s' if len(recoverable) != 1 else ''} (ivs_player_recoverable_error).",
        )
    for name, media, raw in (
        ("ivsplayerplaybackblocked", "video", "ivs_player_playback_blocked"),
        ("ivsplayeraudioblocked", "audio", "ivs_player_audio_blocked"),
    ):
        blocked = by_name.get(name, [])
        if blocked:
            add(
                out.device,
                "critical" if media == "audio" else "warning",
                C.DEVICE_PLAYER_BLOCKED,
                f"The browser blocked the livestream's {media}{_times(blocked, start)} "
                f"({raw}): its autoplay policy — the viewer got nothing until they clicked play.",
                action="Ask the viewer to click the player (or unmute it) once.",
                headline=f"livestream {media} blocked (autoplay)",
            )
