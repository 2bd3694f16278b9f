"""What to do about each finding: the default ``action`` per code, and a helper to add one (pure).

Every warning or critical finding carries an ``action`` (one sentence, the next step). A module
that knows better (a permission denied on macOS, a lossy sender named by peer ID) sets its own;
:func:`fill_actions` gives every other warning/critical finding the default of its code.
"""

from __future__ import annotations

from typing import Final

from bot.health import codes as C
from bot.health.codes import CODES
from bot.health.findings import Findings
from bot.health.model import Area, Finding, Severity

_UDP = "Allow outbound UDP (ports 1024-65535) to Cloudflare on this network, or try another one."

#: Default next step per code (warning/critical findings without their own action get this).
DEFAULT_ACTIONS: Final[dict[str, str]] = {
    C.DEVICE_CPU_LIMITED: (
        "Close other apps and browser tabs, turn off background effects, or lower the video "
        "resolution."
    ),
    C.DEVICE_LOW_CPU_COUNT: "Use a more powerful computer, or join with audio only.",
    C.DEVICE_OLD_OS: "Update the operating system, or join from a supported device.",
    C.DEVICE_OLD_BROWSER: "Update the browser to the current version.",
    C.DEVICE_OLD_SDK: "Upgrade the app to the current RealtimeKit SDK major version.",
    C.DEVICE_LEGACY_SDK: "Move the app from the legacy Dyte SDK to the RealtimeKit SDK.",
    C.DEVICE_CHURN: (
        "Check the headset cable or Bluetooth link and the dock; pick one microphone and "
        "speaker and keep them."
    ),
    C.DEVICE_SWITCHES: "Pick one microphone, camera and speaker before joining and keep them.",
    C.NETWORK_RELAY_TCP: _UDP,
    C.NETWORK_RELAY_TLS: _UDP,
    C.NETWORK_TCP_TRANSPORT: _UDP,
    C.NETWORK_RTT_HIGH: (
        "Turn off the VPN or proxy if there is one, or try a wired or closer network."
    ),
    C.NETWORK_LOW_UPLINK: "Use a faster network, or turn the camera off to save upload bandwidth.",
    C.NETWORK_LOW_DOWNLINK: "Use a faster network, or view fewer video tiles.",
    C.NETWORK_BANDWIDTH_LIMITED: (
        "Use a faster or less busy upload (stop other uploads, move closer to the Wi-Fi), or "
        "send lower-resolution video."
    ),
    C.NETWORK_STUN_BLOCKED: _UDP,
    C.NETWORK_TURN_UNREACHABLE: (
        "Allow TURN (UDP/TCP 3478 and TLS 443) to Cloudflare on this network's firewall or proxy."
    ),
    C.NETWORK_SLOW_NETWORK: "Move to a faster network, or join with audio only.",
    C.NETWORK_RECONNECTS: (
        "Check the network around the reconnect times: Wi-Fi roaming, VPN, or a flaky link; "
        "a wired connection helps."
    ),
    C.NETWORK_ICE_RESTARTS: (
        "Check the network around those times: Wi-Fi roaming, a VPN reconnecting, or a "
        "network change."
    ),
    C.NETWORK_PRECALL_POOR: "Fix the network before the call: try another network or a wire.",
}

_GENERIC: Final = {
    "device": "Check this participant's device and browser against the finding.",
    "network": "Check this participant's network against the finding.",
    "quality": "Look at the network and device findings for the cause of this.",
}


def add(
    found: Findings,
    severity: Severity,
    code: str,
    message: str,
    *,
    action: str | None = None,
    headline: str = "",
    peer_ids: tuple[str, ...] = (),
) -> None:
    """Like ``Findings.add``, with an ``action`` and the ``peer_ids`` it implicates."""
    if code not in CODES:  # a programming error, caught by the tests
        raise KeyError(f"undocumented finding code {code!r}")
    found.items.append(
        Finding(severity=severity, code=code, message=message, action=action, peer_ids=peer_ids)
    )
    found.headlines.append(headline)


def with_action(finding: Finding) -> Finding:
    """The finding with its code's default action when it is warning/critical and has none."""
    if finding.action or finding.severity == "info":
        return finding
    info = CODES.get(finding.code)
    default = DEFAULT_ACTIONS.get(finding.code) or _GENERIC[info.area if info else "quality"]
    return finding.model_copy(update={"action": default})


def fill_actions(area: Area) -> Area:
    findings = tuple(with_action(f) for f in area.findings)
    if findings == area.findings:
        return area
    return area.model_copy(update={"findings": findings})
