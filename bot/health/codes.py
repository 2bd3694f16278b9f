"""Every finding code the assessment can emit: stable identifiers, documented in one table.

Codes are ``<area>.<what>``; they are part of the ``--format json`` contract, so a code is never
renamed or reused for a different meaning. Messages may change wording; codes do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bot.health.model import AreaName

# --- device ------------------------------------------------------------------------------------
DEVICE_CPU_LIMITED: Final = "device.cpu_limited"
DEVICE_LOW_CPU_COUNT: Final = "device.low_cpu_count"
DEVICE_MODEST_CPU_COUNT: Final = "device.modest_cpu_count"
DEVICE_OLD_OS: Final = "device.old_os"
DEVICE_OLD_BROWSER: Final = "device.old_browser"
DEVICE_OLD_SDK: Final = "device.old_sdk"
DEVICE_LEGACY_SDK: Final = "device.legacy_sdk"
DEVICE_CHURN: Final = "device.device_churn"
DEVICE_SWITCHES: Final = "device.device_switches"
DEVICE_CHANGES: Final = "device.device_changes"
DEVICE_WEBGL_UNAVAILABLE: Final = "device.webgl_unavailable"
DEVICE_NATIVE_APP: Final = "device.native_app"

# --- network -----------------------------------------------------------------------------------
NETWORK_RELAY_TCP: Final = "network.relay_tcp"
NETWORK_RELAY_TLS: Final = "network.relay_tls"
NETWORK_RELAY_UDP: Final = "network.relay_udp"
NETWORK_TCP_TRANSPORT: Final = "network.tcp_transport"
NETWORK_NO_SELECTED_PAIR: Final = "network.no_selected_pair"
NETWORK_RTT_HIGH: Final = "network.rtt_high"
NETWORK_LOW_UPLINK: Final = "network.low_uplink"
NETWORK_LOW_DOWNLINK: Final = "network.low_downlink"
NETWORK_BANDWIDTH_LIMITED: Final = "network.bandwidth_limited"
NETWORK_STUN_BLOCKED: Final = "network.stun_blocked"
NETWORK_TURN_UNREACHABLE: Final = "network.turn_unreachable"
NETWORK_SLOW_NETWORK: Final = "network.slow_network"
NETWORK_CELLULAR: Final = "network.cellular"
NETWORK_VPN: Final = "network.vpn"
NETWORK_RECONNECTS: Final = "network.reconnects"
NETWORK_ICE_RESTARTS: Final = "network.ice_restarts"
NETWORK_PRECALL: Final = "network.precall"
NETWORK_PRECALL_POOR: Final = "network.precall_poor"
NETWORK_LOCATION: Final = "network.location"

# --- quality -----------------------------------------------------------------------------------
QUALITY_AUDIO_MOS_LOW: Final = "quality.audio_mos_low"
QUALITY_VIDEO_MOS_LOW: Final = "quality.video_mos_low"
QUALITY_SCREENSHARE_MOS_LOW: Final = "quality.screenshare_mos_low"
QUALITY_AUDIO_LOSS_HIGH: Final = "quality.audio_loss_high"
QUALITY_VIDEO_LOSS_HIGH: Final = "quality.video_loss_high"
QUALITY_SCREENSHARE_LOSS_HIGH: Final = "quality.screenshare_loss_high"
QUALITY_RTT_HIGH: Final = "quality.rtt_high"
QUALITY_JITTER_HIGH: Final = "quality.jitter_high"
QUALITY_JITTER_BUFFER_HIGH: Final = "quality.jitter_buffer_high"
QUALITY_LATENCY_HIGH: Final = "quality.latency_high"
QUALITY_VIDEO_FPS_LOW: Final = "quality.video_fps_low"
QUALITY_SCREENSHARE_FPS_LOW: Final = "quality.screenshare_fps_low"
QUALITY_RESOLUTION_LOW: Final = "quality.resolution_low"
QUALITY_ENCODER_LIMITED: Final = "quality.encoder_limited"
QUALITY_VIDEO_LAG: Final = "quality.video_lag"
QUALITY_VIDEO_MISSING: Final = "quality.video_missing"
QUALITY_NEGATIVE_FEEDBACK_HIGH: Final = "quality.negative_feedback_high"
QUALITY_KEY_FRAMES_FREQUENT: Final = "quality.key_frames_frequent"

# --- quality: attribution, units, media kinds (13a) --------------------------------------------
QUALITY_UPLINK_LOSS: Final = "quality.uplink_loss"
QUALITY_DOWNLINK_LOSS: Final = "quality.downlink_loss"
QUALITY_SENDER_LOSS: Final = "quality.sender_loss"
QUALITY_CONNECTION_LOSS: Final = "quality.connection_loss"
QUALITY_RECEIVED_LOSS: Final = "quality.received_loss"
QUALITY_SCREENSHARE_RESOLUTION_LOW: Final = "quality.screenshare_resolution_low"
QUALITY_NOT_MEASURED: Final = "quality.not_measured"

# --- events, device, network (13b) ------------------------------------------------------------
DEVICE_PERMISSION_DENIED: Final = "device.permission_denied"
DEVICE_PERMISSION_SYSTEM_DENIED: Final = "device.permission_system_denied"
DEVICE_PERMISSION_CANCELED: Final = "device.permission_canceled"
DEVICE_COULD_NOT_START: Final = "device.could_not_start"
DEVICE_NO_DEVICES: Final = "device.no_devices"
DEVICE_AUDIO_PLAY_FAILED: Final = "device.audio_play_failed"
DEVICE_VIDEO_PLAY_FAILED: Final = "device.video_play_failed"
DEVICE_TRACK_MUTED: Final = "device.track_muted"
DEVICE_TAB_HIDDEN: Final = "device.tab_hidden"
DEVICE_APP_BACKGROUNDED: Final = "device.app_backgrounded"
DEVICE_PLAYER_BLOCKED: Final = "device.player_blocked"
NETWORK_PLAYER_OFFLINE: Final = "network.player_offline"
QUALITY_LIVESTREAM_REBUFFERING: Final = "quality.livestream_rebuffering"
QUALITY_PLAYER_ERROR: Final = "quality.player_error"
QUALITY_LIVESTREAM_VIEWER: Final = "quality.livestream_viewer"


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """What a code means, which area it belongs to, and the severities it can take."""

    area: AreaName
    severities: str
    meaning: str


#: The documented table. Severity ``critical`` makes the area poor, ``warning`` fair, ``info``
#: never changes the status.
CODES: Final[dict[str, CodeInfo]] = {
    DEVICE_CPU_LIMITED: CodeInfo(
        "device",
        "warning|critical",
        "The video encoder was limited by CPU load for 5-20 % (warning) or > 20 % (critical) of "
        "the time (W3C qualityLimitationReason=cpu): this computer could not keep up.",
    ),
    DEVICE_LOW_CPU_COUNT: CodeInfo(
        "device",
        "info|warning",
        "Two or fewer logical CPUs: a warning without encoder data, info when the encoder was "
        "measured and not CPU-limited (when it was, device.cpu_limited says so, once).",
    ),
    DEVICE_MODEST_CPU_COUNT: CodeInfo(
        "device", "info", "Three or four CPUs: fine for audio and one 720p stream."
    ),
    DEVICE_OLD_OS: CodeInfo(
        "device",
        "warning",
        "Operating system out of vendor support (Android < 11, iOS < 15, Windows < 10, "
        "macOS < 10.15).",
    ),
    DEVICE_OLD_BROWSER: CodeInfo(
        "device",
        "warning",
        "Browser more than 6 major versions behind the release current at the time of the call "
        "(Chrome/Edge/Firefox), or Safari < 16.",
    ),
    DEVICE_OLD_SDK: CodeInfo(
        "device", "warning", "RealtimeKit SDK from an older major version than the current one."
    ),
    DEVICE_LEGACY_SDK: CodeInfo(
        "device", "warning", "Legacy Dyte SDK (maintenance mode since the move to RealtimeKit)."
    ),
    DEVICE_CHURN: CodeInfo(
        "device",
        "warning|critical",
        "Audio/video/speaker devices were added or removed more than 6 (warning) or 15 "
        "(critical) times after joining: loose headset, dock or OS audio routing.",
    ),
    DEVICE_SWITCHES: CodeInfo(
        "device",
        "warning|critical",
        "The selected microphone/camera/speaker changed more than 4 (warning) or 10 (critical) "
        "times.",
    ),
    DEVICE_CHANGES: CodeInfo(
        "device", "info", "A few device changes during the call (below the churn thresholds)."
    ),
    DEVICE_WEBGL_UNAVAILABLE: CodeInfo(
        "device", "info", "WebGL unavailable: background effects may be off or CPU-heavy."
    ),
    DEVICE_NATIVE_APP: CodeInfo(
        "device", "info", "Native (mobile/desktop app) metadata: the encoders in use."
    ),
    NETWORK_RELAY_TCP: CodeInfo(
        "network",
        "warning|critical",
        "Media went through a TURN relay over TCP: UDP is blocked; TCP retransmission causes "
        "delay and bursty loss. Critical when loss or RTT were also poor.",
    ),
    NETWORK_RELAY_TLS: CodeInfo(
        "network",
        "warning|critical",
        "Media went through a TURN relay over TLS (turns:): UDP blocked, most overhead. "
        "Critical when loss or RTT were also poor.",
    ),
    NETWORK_RELAY_UDP: CodeInfo(
        "network", "info", "Media went through a TURN relay over UDP: an extra hop, usually fine."
    ),
    NETWORK_TCP_TRANSPORT: CodeInfo(
        "network", "warning", "Media ran over TCP without a relay (ICE-TCP): UDP is blocked."
    ),
    NETWORK_NO_SELECTED_PAIR: CodeInfo(
        "network",
        "info",
        "Candidate pairs were reported but none was nominated; the busiest one is described.",
    ),
    NETWORK_RTT_HIGH: CodeInfo(
        "network",
        "warning|critical",
        "Transport RTT of the selected candidate pair to the media server: >= 150 ms warning, "
        "> 300 ms critical.",
    ),
    NETWORK_LOW_UPLINK: CodeInfo(
        "network",
        "warning",
        "Available outgoing bitrate below 300 kbps while sending video.",
    ),
    NETWORK_LOW_DOWNLINK: CodeInfo(
        "network",
        "warning",
        "Available incoming bitrate below 300 kbps while receiving video.",
    ),
    NETWORK_BANDWIDTH_LIMITED: CodeInfo(
        "network",
        "warning|critical",
        "The video encoder was limited by bandwidth for 5-20 % (warning) or > 20 % (critical) "
        "of the time: the uplink was too small.",
    ),
    NETWORK_STUN_BLOCKED: CodeInfo(
        "network",
        "warning",
        "Reflexive (STUN) connectivity failed: UDP to the internet is blocked or filtered.",
    ),
    NETWORK_TURN_UNREACHABLE: CodeInfo(
        "network",
        "warning|critical",
        "Both relay and TURN connectivity checks failed: no fallback path on restrictive "
        "networks. Critical when the connection also had trouble.",
    ),
    NETWORK_SLOW_NETWORK: CodeInfo(
        "network",
        "warning|critical",
        "Effective network type 3g (warning) or 2g/slow-2g (critical).",
    ),
    NETWORK_CELLULAR: CodeInfo("network", "info", "The participant was on a cellular network."),
    NETWORK_VPN: CodeInfo("network", "info", "The selected candidate was on a VPN interface."),
    NETWORK_RECONNECTS: CodeInfo(
        "network",
        "info|warning|critical",
        "Reconnects (peer left and re-joined, or reconnect events): 1-2 info, more than 2 in the "
        "call warning, more than 2 within 10 minutes critical.",
    ),
    NETWORK_ICE_RESTARTS: CodeInfo(
        "network",
        "info|warning|critical",
        "ICE restarts reported in the event log; same bands as reconnects.",
    ),
    NETWORK_PRECALL: CodeInfo("network", "info", "Results of the pre-call network test."),
    NETWORK_PRECALL_POOR: CodeInfo(
        "network", "warning", "The pre-call network test already showed high RTT or loss."
    ),
    NETWORK_LOCATION: CodeInfo(
        "network", "info", "Country and network operator (ASN) for context; never the IP or city."
    ),
    QUALITY_AUDIO_MOS_LOW: CodeInfo(
        "quality",
        "warning|critical",
        "Estimated audio MOS below 4.0 (warning) or 3.6 (critical) on the ITU-T P.800 scale, "
        "once, for the worst audio track (MOS is judged on audio only).",
    ),
    QUALITY_VIDEO_MOS_LOW: CodeInfo(
        "quality",
        "warning|critical",
        "No longer emitted (kept for the contract): video is not judged on audio MOS bands.",
    ),
    QUALITY_SCREENSHARE_MOS_LOW: CodeInfo(
        "quality",
        "warning|critical",
        "No longer emitted (kept for the contract): screen share is not judged on MOS.",
    ),
    QUALITY_AUDIO_LOSS_HIGH: CodeInfo(
        "quality",
        "warning|critical",
        "No longer emitted (kept for the contract): loss is one finding per cause, "
        "quality.uplink_loss / downlink_loss / sender_loss / connection_loss / received_loss.",
    ),
    QUALITY_VIDEO_LOSS_HIGH: CodeInfo(
        "quality",
        "warning|critical",
        "No longer emitted (kept for the contract): see quality.uplink_loss and its siblings.",
    ),
    QUALITY_SCREENSHARE_LOSS_HIGH: CodeInfo(
        "quality",
        "warning|critical",
        "No longer emitted (kept for the contract): see quality.uplink_loss and its siblings.",
    ),
    QUALITY_RTT_HIGH: CodeInfo(
        "quality",
        "info|warning",
        "Media RTT, once for the path: 150-300 ms noted (info), above 300 ms or 500 ms+ in a "
        "tenth of samples a warning; latency alone never makes the call poor.",
    ),
    QUALITY_JITTER_HIGH: CodeInfo(
        "quality",
        "warning|critical",
        "Audio jitter >= 30 ms (warning) or > 50 ms (critical); audio only, and folded into the "
        "jitter-buffer finding when that one fires.",
    ),
    QUALITY_JITTER_BUFFER_HIGH: CodeInfo(
        "quality",
        "warning|critical",
        "Received audio jitter-buffer delay >= 100 ms (warning) or > 200 ms (critical), from the "
        "growth of the delay counter over the growth of the emitted count.",
    ),
    QUALITY_LATENCY_HIGH: CodeInfo(
        "quality",
        "warning",
        "This participant's share of mouth-to-ear delay (half the sent audio's RTT plus the "
        "received audio's jitter buffer) above 150 ms one way (ITU-T G.114) when neither alone "
        "was reported.",
    ),
    QUALITY_VIDEO_FPS_LOW: CodeInfo(
        "quality",
        "warning|critical",
        "Camera video below 15 fps (warning) or 8 fps (critical, Cloudflare's 'lagging') after "
        "start-up; not judged on a sent track whose encoder was CPU/bandwidth-limited.",
    ),
    QUALITY_SCREENSHARE_FPS_LOW: CodeInfo(
        "quality",
        "info",
        "Screen share below Cloudflare's 3 fps minimum: noted only (slides are sent at a few fps "
        "by design).",
    ),
    QUALITY_RESOLUTION_LOW: CodeInfo(
        "quality",
        "warning|critical",
        "Sent camera width dropped 25-50 % (warning) or > 50 % (critical) below its own stream's "
        "level after start-up, below 240 px, or poor resolution for a large share of the call. "
        "Received resolution changes are not judged.",
    ),
    QUALITY_ENCODER_LIMITED: CodeInfo(
        "quality",
        "info|warning|critical",
        "The video encoder was limited for 5-20 % / > 20 % of the time after start-up; info when "
        "the cause is CPU or bandwidth (judged under device / network).",
    ),
    QUALITY_VIDEO_LAG: CodeInfo(
        "quality",
        "warning|critical",
        "Received video lagged or froze (lag_fraction, or packets arriving with no frame "
        "decoded) for >= 5 % / > 20 %.",
    ),
    QUALITY_VIDEO_MISSING: CodeInfo(
        "quality",
        "info|warning",
        "A video track carried no frames for >= 20 % of the call: a warning when sent (stuck "
        "camera), info when received (a paused sender is normal).",
    ),
    QUALITY_NEGATIVE_FEEDBACK_HIGH: CodeInfo(
        "quality",
        "info",
        "Receivers sent heavy negative feedback (NACK/PLI/FIR) for >= 20 % of the call (loss "
        "evidence; the loss finding carries the verdict).",
    ),
    QUALITY_KEY_FRAMES_FREQUENT: CodeInfo(
        "quality", "info", "Many key frames: receivers repeatedly asked for a full picture."
    ),
    # --- quality: attribution, units, media kinds (13a) ---
    QUALITY_UPLINK_LOSS: CodeInfo(
        "quality",
        "warning|critical",
        "What this participant sent lost packets on the way to the media server (their upload) "
        "while what they received was clean; bands per media kind (audio 1/4 %, video 1/3 %).",
    ),
    QUALITY_DOWNLINK_LOSS: CodeInfo(
        "quality",
        "warning|critical",
        "Media from every remote sender (two or more) arrived lossy while this participant's "
        "upload was clean: their own download.",
    ),
    QUALITY_SENDER_LOSS: CodeInfo(
        "quality",
        "warning|critical",
        "Media from some remote senders arrived lossy (audio and video of one sender count "
        "once); peer_ids names them: look at their reports (their upload).",
    ),
    QUALITY_CONNECTION_LOSS: CodeInfo(
        "quality",
        "warning|critical",
        "Both what this participant sent and what they received lost packets: their own "
        "connection is the common factor.",
    ),
    QUALITY_RECEIVED_LOSS: CodeInfo(
        "quality",
        "warning|critical",
        "Received media lost packets but the report does not name the senders, so the download "
        "and the senders' uploads cannot be told apart.",
    ),
    QUALITY_SCREENSHARE_RESOLUTION_LOW: CodeInfo(
        "quality",
        "warning",
        "Screen share narrower than Cloudflare's 720 px minimum after start-up: small text is "
        "hard to read.",
    ),
    QUALITY_NOT_MEASURED: CodeInfo(
        "quality",
        "info",
        "Track statistics were present but every number was 0 or null (the SDK's 'not "
        "measured'): no quality verdict is possible.",
    ),
}

# --- events, device, network (13b) ------------------------------------------------------------
CODES.update(
    {
        DEVICE_PERMISSION_DENIED: CodeInfo(
            "device",
            "info|warning|critical",
            "media_permission DENIED: the user refused the browser's prompt for the microphone "
            "(critical), camera, speaker or screen (warning); info when allowed later.",
        ),
        DEVICE_PERMISSION_SYSTEM_DENIED: CodeInfo(
            "device",
            "info|warning|critical",
            "media_permission SYSTEM_DENIED: the OS (e.g. macOS Privacy & Security) blocks the "
            "browser from the device; microphone critical, others warning.",
        ),
        DEVICE_PERMISSION_CANCELED: CodeInfo(
            "device",
            "info|warning",
            "media_permission CANCELED: the prompt was closed without a choice (microphone "
            "warning, others info).",
        ),
        DEVICE_COULD_NOT_START: CodeInfo(
            "device",
            "info|warning|critical",
            "media_permission COULD_NOT_START: the device is busy in another app or failed; "
            "microphone critical, others warning.",
        ),
        DEVICE_NO_DEVICES: CodeInfo(
            "device",
            "info|warning|critical",
            "media_permission NO_DEVICES_AVAILABLE: no such device; microphone critical, others "
            "warning.",
        ),
        DEVICE_AUDIO_PLAY_FAILED: CodeInfo(
            "device",
            "critical",
            "audio_play_failed: the browser refused to play received audio (autoplay policy): "
            "the participant heard nobody until they clicked the page.",
        ),
        DEVICE_VIDEO_PLAY_FAILED: CodeInfo(
            "device",
            "warning",
            "video_play_failed: the browser refused to play received video (autoplay policy).",
        ),
        DEVICE_TRACK_MUTED: CodeInfo(
            "device",
            "warning",
            "audio_track_muted / video_track_muted: the device stopped delivering media (taken "
            "by another app, unplugged, or an OS interruption).",
        ),
        DEVICE_TAB_HIDDEN: CodeInfo(
            "device",
            "info",
            "tab_change: the meeting tab went to the background, where browsers throttle timers "
            "and video.",
        ),
        DEVICE_APP_BACKGROUNDED: CodeInfo(
            "device",
            "info|warning",
            "browser_backgrounded: the app or mobile browser went to the background, stopping "
            "the camera; warning unless every stretch was shorter than 10 s.",
        ),
        DEVICE_PLAYER_BLOCKED: CodeInfo(
            "device",
            "warning|critical",
            "ivs_player_playback_blocked (warning) / ivs_player_audio_blocked (critical): the "
            "livestream player was blocked by the autoplay policy.",
        ),
        NETWORK_PLAYER_OFFLINE: CodeInfo(
            "network",
            "critical",
            "ivs_player_network_unavailable: the livestream viewer's network dropped.",
        ),
        QUALITY_LIVESTREAM_REBUFFERING: CodeInfo(
            "quality",
            "warning|critical",
            "ivs_player_rebuffering: the livestream player stalled 1-2 times (warning) or 3 or "
            "more (critical).",
        ),
        QUALITY_LIVESTREAM_VIEWER: CodeInfo(
            "quality",
            "info",
            "A livestream viewer whose IVS player reported no rebuffering, network loss or error "
            "(viewers have no WebRTC stats, so quality stays unknown).",
        ),
        QUALITY_PLAYER_ERROR: CodeInfo(
            "quality",
            "info|critical",
            "ivs_player_error (critical, playback stopped) or ivs_player_recoverable_error (info).",
        ),
    }
)
