"""Health assessment: pure functions from a peer report to device/network/quality verdicts.

``assess(participant, app_id=...)`` is the public entry point; thresholds live in
:mod:`bot.health.thresholds` and every finding code is documented in :mod:`bot.health.codes`.
The engine is imported on first use, so importing the domain types stays cheap (the Slack
ack path needs the types, not the engine).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.health.model import Area, Assessment, Finding, SenderStats, Severity, Status, worst

if TYPE_CHECKING:
    from bot.health.codes import CODES, CodeInfo
    from bot.health.engine import assess

__all__ = [
    "CODES",
    "Area",
    "Assessment",
    "CodeInfo",
    "Finding",
    "SenderStats",
    "Severity",
    "Status",
    "assess",
    "worst",
]


def __getattr__(name: str) -> Any:
    if name == "assess":
        from bot.health.engine import assess

        return assess
    if name in ("CODES", "CodeInfo"):
        from bot.health import codes

        return getattr(codes, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
