"""Every number the health verdicts compare against, each with its source.

Sources are the ones compiled in ``shared/notes/quality-thresholds.md`` (S1..S23 there).
Constants marked **heuristic** have no standard behind them: they are our own engineering call,
written down so they can be argued with. Boundaries follow the table in the notes: a band
written "good < 1 %, fair 1 - 4 %, poor > 4 %" means ``value >= FAIR`` is fair and
``value > POOR`` is poor, so a value exactly at the poor boundary is still fair.

Units: percentages are 0..100, fractions are 0..1, times are milliseconds unless the name
says ``_S`` (seconds), bitrates are bit/s.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

# --- MOS (ITU-T P.800 scale; G.107 E-model user-satisfaction table, S1 S2) -------------------
#: MOS 4.0 = R 80, "satisfied": at or above is good (G.107/G.109, S1 S2).
MOS_GOOD: Final = 4.0
#: MOS 3.6 = R 70, "some users dissatisfied": below is poor (S1 S2; Twilio fair 3.1-3.6, S6).
MOS_POOR: Final = 3.6
#: MOS 3.1 = R 60, "nearly all users dissatisfied": below is severe (S1 S2; Twilio S6).
MOS_SEVERE: Final = 3.1

# --- Packet loss, percent of packets per track ------------------------------------------------
#: Audio loss from 1 % is noticeable (rtcStats interpretation table, S8).
AUDIO_LOSS_FAIR_PCT: Final = 1.0
#: Opus audio loss above 4 % is poor (rtcStats observation for Opus, S7; 2-5 % poor, S8).
AUDIO_LOSS_POOR_PCT: Final = 4.0
#: Video loss from 1 % can result in poor video (Vidyo yellow > 1 %, S9; BlueJeans, S10).
VIDEO_LOSS_FAIR_PCT: Final = 1.0
#: Video loss above 3 % is poor (Twilio ``high-packet-loss`` at avg > 3 %, S5).
VIDEO_LOSS_POOR_PCT: Final = 3.0
#: Loss above 10 % is severe for any media (rtcStats "> 5 % very poor", S8).
LOSS_SEVERE_PCT: Final = 10.0
#: **heuristic**: ``10_or_greater_event_fraction`` >= 0.10 (a tenth of the call at >= 10 % loss)
#: is poor even when the average looks fair (notes, "Packet loss").
LOSS_BURST_SHARE_POOR: Final = 0.10

# --- Round-trip time (ms) ---------------------------------------------------------------------
#: RTT from 150 ms is noted: it can hurt video (BlueJeans S10; Vidyo ideal < 100, OK to 250, S9).
RTT_FAIR_MS: Final = 150.0
#: RTT above 300 ms is a warning: G.114 one-way 150 ms budget doubled (S11 S12); Sinch warns
#: > 300 (S13). Latency alone never makes a call poor: a GEO satellite link (~600 ms) works,
#: people just talk over each other.
RTT_POOR_MS: Final = 300.0
#: RTT above 400 ms is severe: G.114 one-way > 400 ms unacceptable (S11); Twilio high-rtt (S5).
RTT_SEVERE_MS: Final = 400.0
#: **heuristic**: a quarter of samples at >= 250 ms RTT is fair (notes, "Round-trip time").
RTT_GE250_SHARE_FAIR: Final = 0.25
#: **heuristic**: a tenth of samples at >= 500 ms RTT is poor (notes, "Round-trip time").
RTT_GE500_SHARE_POOR: Final = 0.10

# --- Jitter and jitter-buffer delay (ms) ------------------------------------------------------
#: Inbound jitter from 30 ms is fair (Twilio high-jitter > 30 ms, S5; Sinch > 30 ms, S13).
JITTER_FAIR_MS: Final = 30.0
#: Inbound jitter above 50 ms is poor (8x8 > 40 ms severe for voice, S14; BlueJeans > 40, S10).
JITTER_POOR_MS: Final = 50.0
#: Jitter-buffer delay from 100 ms is fair (notes table; adds to mouth-to-ear delay, S4 S11).
JB_DELAY_FAIR_MS: Final = 100.0
#: Jitter-buffer delay above 200 ms is poor (Azure Communication Services, S15).
JB_DELAY_POOR_MS: Final = 200.0
#: Jitter-buffer delay above 250 ms is severe: perceived as latency (Twilio, S16).
JB_DELAY_SEVERE_MS: Final = 250.0
#: **heuristic**: a tenth of samples with >= 500 ms jitter-buffer delay is poor (read as for RTT).
JB_GE500_SHARE_POOR: Final = 0.10
#: G.114: one-way mouth-to-ear delay (RTT/2 + jitter-buffer delay) above 150 ms breaks the
#: budget for interactive speech (S11).
ONE_WAY_DELAY_FAIR_MS: Final = 150.0

# --- Video frame rate, resolution, encoder limitation ---------------------------------------
#: **heuristic**: camera video at >= 15 fps is good (conferencing cameras often send 15-30 fps;
#: a simulcast low layer is sent at reduced fps by design).
CAMERA_FPS_GOOD: Final = 15.0
#: Camera video below 8 fps is poor: Cloudflare's own client scoring calls < 8 fps "lagging"
#: (notes realtimekit-sdk.md, "Cloudflare's own client-side scoring").
CAMERA_FPS_POOR: Final = 8.0
#: Camera video narrower than 240 px is "low quality" in Cloudflare's client scoring (notes
#: realtimekit-sdk.md).
CAMERA_MIN_WIDTH_PX: Final = 240.0
#: Screen share below 3 fps is below Cloudflare's minimum (notes realtimekit-sdk.md); static
#: slides are sent at a few fps by design, so low screen-share fps alone is only noted.
SCREEN_FPS_MIN: Final = 3.0
#: Screen share narrower than 720 px is below Cloudflare's minimum: text becomes hard to read
#: (notes realtimekit-sdk.md).
SCREEN_MIN_WIDTH_PX: Final = 720.0
#: **heuristic**: sent frame width 25 % or more below the stream's own baseline (taken after the
#: start-up allowance) is fair
#: (W3C ``qualityLimitationResolutionChanges`` counts such drops, S3).
WIDTH_DROP_FAIR: Final = 0.25
#: **heuristic**: sent frame width more than 50 % below the stream's baseline is poor
#: (1280 -> 640 -> 320).
WIDTH_DROP_POOR: Final = 0.50
#: **heuristic**: the 60 s after the start-up allowance give a sent stream's intended resolution.
WIDTH_BASELINE_S: Final = 60.0
#: **heuristic**: the first 30 s of a stream are start-up: bandwidth estimation ramps the bitrate
#: and resolution up (GCC probing), so they give no baseline and no limitation verdict.
STARTUP_S: Final = 30.0
#: **heuristic**: ``poor_resolution_fraction`` from 0.20 (a fifth of the call) is fair.
POOR_RESOLUTION_SHARE_FAIR: Final = 0.20
#: **heuristic**: ``poor_resolution_fraction`` above 0.50 is poor.
POOR_RESOLUTION_SHARE_POOR: Final = 0.50
#: Encoder limited (any reason) from 5 % of the time is fair: ``none`` < 95 % (rtcStats, S17).
LIMITED_SHARE_FAIR: Final = 0.05
#: Encoder limited more than 20 % of the time is poor: ``none`` < 80 % (S17); CPU > 20 %
#: is testRTC status 6001 (S19). CPU from 5 % is the rtcStats observation (S18).
LIMITED_SHARE_POOR: Final = 0.20
#: **heuristic**: receiver-side ``lag_fraction`` from 0.05 is fair.
LAG_SHARE_FAIR: Final = 0.05
#: **heuristic**: receiver-side ``lag_fraction`` above 0.20 is poor.
LAG_SHARE_POOR: Final = 0.20
#: **heuristic**: ``no_video_fraction`` from 0.20 while the track exists is worth a warning.
NO_VIDEO_SHARE_FAIR: Final = 0.20
#: **heuristic**: ``high_negative_feedback_fraction`` (NACK/PLI/FIR pressure) from 0.20 is fair.
NEGATIVE_FEEDBACK_SHARE_FAIR: Final = 0.20
#: **heuristic**: key-frame fraction from 0.05 is noted (receivers asking for full refreshes).
KEY_FRAME_SHARE_NOTE: Final = 0.05

# --- Network path -----------------------------------------------------------------------------
#: Candidate types that mean a direct path (W3C RTCIceCandidateType, S3).
DIRECT_CANDIDATE_TYPES: Final = frozenset({"host", "srflx", "prflx"})
#: Vidyo: uplink below 250 kbps is "low" (S9); we warn below 300 kbps with video on (notes).
LOW_BITRATE_BPS: Final = 300_000.0
#: Network Information API effectiveType values (**heuristic** mapping, notes "Network path").
SLOW_NETWORK_TYPES_POOR: Final = frozenset({"slow-2g", "2g"})
#: effectiveType 3g is fair (Network Information API, **heuristic** mapping).
SLOW_NETWORK_TYPES_FAIR: Final = frozenset({"3g"})

# --- Device -----------------------------------------------------------------------------------
#: **heuristic**: <= 2 logical CPUs struggle to encode video (S18 S19 S23).
LOW_CPU_COUNT: Final = 2
#: **heuristic**: 3-4 CPUs are fine for audio and one 720p stream.
MODEST_CPU_COUNT: Final = 4
#: **heuristic**: mobile OS older than ~4 years: no vendor support, old WebRTC stack.
MIN_ANDROID_MAJOR: Final = 11
MIN_IOS_MAJOR: Final = 15
#: **heuristic**: desktop OS out of vendor support (Windows 7/8, macOS 10.x).
MIN_WINDOWS_MAJOR: Final = 10
MIN_MACOS_MAJOR: Final = 11
#: **heuristic**: a browser more than 6 major versions behind current is old
#: (Chrome/Edge/Firefox ship about every 4 weeks).
BROWSER_MAJORS_BEHIND: Final = 6
#: Release anchors used to estimate the current major at the time of the call: Chrome 132
#: shipped 2025-01-14, Firefox 134 on 2025-01-07, each every 4 weeks since (vendor schedules).
#: **heuristic** estimate, deterministic from the report's own date.
BROWSER_RELEASE_ANCHORS: Final = {
    "chrome": (132, datetime(2025, 1, 14, tzinfo=UTC)),
    "edge": (132, datetime(2025, 1, 14, tzinfo=UTC)),
    "firefox": (134, datetime(2025, 1, 7, tzinfo=UTC)),
}
#: Chrome and Firefox ship a major version every 4 weeks (vendor release schedules).
BROWSER_RELEASE_DAYS: Final = 28
#: Used when the report carries no date (the date these thresholds were compiled).
REFERENCE_DATE: Final = datetime(2026, 11, 24, tzinfo=UTC)
#: **heuristic**: Safari before 16 lacks many WebRTC fixes (yearly majors).
MIN_SAFARI_MAJOR: Final = 16
#: npm ``@cloudflare/realtimekit`` latest is 2.0.2 (registry listing, 2026): older majors are old.
REALTIMEKIT_SDK_CURRENT_MAJOR: Final = 2
#: **heuristic**: more device add/remove updates than this in a call is fair / poor.
DEVICE_UPDATES_FAIR: Final = 6
DEVICE_UPDATES_POOR: Final = 15
#: **heuristic**: more selected-device switches than this in a call is fair / poor.
DEVICE_SWITCHES_FAIR: Final = 4
DEVICE_SWITCHES_POOR: Final = 10
#: **heuristic**: device updates within this many seconds of joining are the initial enumeration.
DEVICE_ENUMERATION_GRACE_S: Final = 10.0

# --- Connection lifecycle ---------------------------------------------------------------------
#: **heuristic**: more than 2 reconnects within 10 minutes is poor; 1-2 in a call is info
#: (in the spirit of Twilio's connection events, S5).
RECONNECTS_POOR: Final = 2
RECONNECT_WINDOW_S: Final = 600.0
#: **heuristic**: more than this many reconnects over the whole call (spread out) is fair.
RECONNECTS_FAIR_TOTAL: Final = 2
#: **heuristic**: events this close together describe the same interruption.
RECONNECT_DEDUP_S: Final = 30.0

# --- Timeline (per-sample windows) ------------------------------------------------------------
#: **heuristic**: a minute counts as bad when at least half its samples are bad.
BAD_MINUTE_SHARE: Final = 0.5

# --- Validity (values outside these are "not measured", never a verdict) ---------------------
#: **heuristic**: a latency above 60 s (RTT, jitter, jitter-buffer delay) is a broken counter.
MAX_LATENCY_MS: Final = 60_000.0
#: **heuristic**: a track whose median RTT or jitter-buffer delay would be 5 s or more if read
#: as W3C seconds (and that has no cumulative average to check against) is in ms.
IMPLAUSIBLE_DELAY_S: Final = 5.0
#: **heuristic**: likewise for a median interarrival jitter of 1 s or more (W3C RTCRtpStreamStats
#: jitter is seconds; a second of jitter exceeds any jitter buffer).
IMPLAUSIBLE_JITTER_S: Final = 1.0
#: MOS is defined on 1..5 (ITU-T P.800); anything else (the SDK's 0) is not a measurement.
MOS_MIN: Final = 1.0
MOS_MAX: Final = 5.0
