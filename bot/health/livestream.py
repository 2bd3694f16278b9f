"""Livestream viewers: the IVS player's events (``ivs_player_*``) as evidence (pure).

A viewer of a livestream has no WebRTC media stats; the player's own events say whether the
stream played: rebuffering (download too slow), network unavailable, errors, and playback or
audio blocked by the browser's autoplay policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.health import codes as C
from bot.health import event_thresholds as E
from bot.health.actions import add
from bot.health.event_log import Event, meta, times_text
from bot.health.findings import Findings


@dataclass(slots=True)
class EventFindings:
    """Findings from the SDK's events, by the area they belong to."""

    device: Findings = field(default_factory=Findings)
    network: Findings = field(default_factory=Findings)
    quality: Findings = field(default_factory=Findings)
    #: The report comes from a livestream viewer (``ivs_player_*`` events).
    livestream_viewer: bool = False


def assess_livestream(
    by_name: dict[str, list[Event]], out: EventFindings, start: float | None
) -> None:
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
            f"{'s' if len(rebuffer) != 1 else ''}{times_text(rebuffer, start)} "
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
            f"The livestream player lost its network connection{times_text(offline, start)} "
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
            f"The livestream player failed{said} (ivs_player_error{times_text(errors, start)}): "
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
                f"The browser blocked the livestream's {media}{times_text(blocked, start)} "
                f"({raw}): its autoplay policy — the viewer got nothing until they clicked play.",
                action="Ask the viewer to click the player (or unmute it) once.",
                headline=f"livestream {media} blocked (autoplay)",
            )
    problems = [f for f in out.quality.items + out.network.items if f.severity != "info"]
    if not problems:
        changes = len(by_name.get("ivsplayerqualitychanged", []))
        add(
            out.quality,
            "info",
            C.QUALITY_LIVESTREAM_VIEWER,
            "A livestream viewer (IVS player): WebRTC stats are not collected for viewers, and "
            "the player reported no rebuffering, network loss or error"
            + (f" ({changes} quality change{'s' if changes != 1 else ''})." if changes else "."),
        )
