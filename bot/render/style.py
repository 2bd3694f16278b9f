"""How verdicts look: one emoji and one word per status, shared by every surface."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from bot.health.model import Status

STATUS_EMOJI: Final[dict[Status, str]] = {
    "good": "🟢",
    "fair": "🟡",
    "poor": "🔴",
    "unknown": "⚪",
}
STATUS_WORD: Final[dict[Status, str]] = {
    "good": "Good",
    "fair": "Fair",
    "poor": "Poor",
    "unknown": "Unknown",
}
#: The verdict as the card says it: "unknown" is honest about missing data.
VERDICT_WORD: Final[dict[Status, str]] = {
    "good": "Good",
    "fair": "Fair",
    "poor": "Poor",
    "unknown": "Not enough data",
}
AREA_TITLE: Final = {"device": "Device", "network": "Network", "quality": "Quality"}


def badge(status: Status) -> str:
    """``🔴 Poor``."""
    return f"{STATUS_EMOJI[status]} {STATUS_WORD[status]}"
