"""Health assessment: pure functions from a peer report to device/network/quality verdicts.

``assess(participant, app_id=...)`` is the public entry point; thresholds live in
:mod:`bot.health.thresholds` and every finding code is documented in :mod:`bot.health.codes`.
"""

from bot.health.assess import assess
from bot.health.codes import CODES, CodeInfo
from bot.health.model import Area, Assessment, Finding, Severity, Status, worst

__all__ = [
    "CODES",
    "Area",
    "Assessment",
    "CodeInfo",
    "Finding",
    "Severity",
    "Status",
    "assess",
    "worst",
]
