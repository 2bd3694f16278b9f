"""Threshold numbers of the events / device / network half, each with its source.

Kept apart from :mod:`bot.health.thresholds` (the quality half) so the two halves can evolve
independently; the same documentation rule applies: every constant names its source.
"""

from __future__ import annotations

from typing import Final

# Pre-call test judged with the call's own bands: ITU-T G.114 (RTT over 300 ms is poor for
# conversation), jitter over 50 ms and loss over 3 % (vendor guidance, notes/quality-thresholds.md).
PRECALL_RTT_POOR_MS: Final = 300.0
PRECALL_JITTER_POOR_MS: Final = 50.0
PRECALL_LOSS_POOR_PCT: Final = 3.0

# A pre-call value below this is seconds, else ms: the field is undocumented (heuristic).
PRECALL_SECONDS_CUTOFF: Final = 5.0

# An app sent to the background for this long is a visible freeze for the others (heuristic;
# shorter is a glance at another app; notes/realtimekit-sdk.md: the camera stops there).
BACKGROUND_NOTICEABLE_S: Final = 10.0

# Livestream rebuffering: this many rebuffer events make viewing poor (heuristic).
REBUFFER_POOR_COUNT: Final = 3

# An ICE restart within this many seconds of a reconnect is the same incident (heuristic:
# the SDK restarts ICE while reconnecting; matches the 30 s reconnect dedup window).
INCIDENT_MERGE_S: Final = 30.0
