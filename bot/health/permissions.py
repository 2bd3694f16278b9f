"""``media_permission`` events: a microphone, camera, speaker or screen the user could not use.

One finding per device type, for its last refusal: DENIED (the user said no), SYSTEM_DENIED
(the OS blocks the browser, e.g. macOS Privacy & Security), COULD_NOT_START (busy in another
app), NO_DEVICES_AVAILABLE, CANCELED (the prompt was closed). A later ACCEPTED turns it into an
info finding. The action names the setting to change for the participant's OS (pure).
"""

from __future__ import annotations

from collections import defaultdict

from bot.health import codes as C
from bot.health.actions import add
from bot.health.event_log import Event, at, meta, upper
from bot.health.findings import Findings
from bot.health.model import Severity

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


def assess_permissions(
    events: list[Event], found: Findings, os_name: str, start: float | None
) -> None:
    by_device: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        device = upper(meta(event, "deviceType", "device_type", "kind", "type"))
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
        what = f"media_permission {permission}{at(first.t, start)}"
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


def _permission(event: Event) -> str:
    return upper(meta(event, "permission", "status", "state"))


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
