"""Collecting findings for one area and turning them into a status (pure).

A finding's severity decides the status it implies: ``critical`` -> poor, ``warning`` -> fair,
``info`` -> no change. Findings are ordered critical first, then in the order they were added
(each area adds its most telling evidence first).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.health.codes import CODES
from bot.health.model import SEVERITY_RANK, Area, Finding, MetricValue, Severity, Status

SEVERITY_STATUS: dict[Severity, Status] = {"info": "good", "warning": "fair", "critical": "poor"}


@dataclass(slots=True)
class Findings:
    """Mutable collector; :meth:`area` freezes it into an :class:`Area`."""

    items: list[Finding] = field(default_factory=list)
    metrics: dict[str, MetricValue] = field(default_factory=dict)
    #: Short forms for the one-line summary, parallel to ``items`` ("" = none).
    headlines: list[str] = field(default_factory=list)

    def add(
        self,
        severity: Severity,
        code: str,
        message: str,
        headline: str = "",
        *,
        action: str | None = None,
        peer_ids: tuple[str, ...] = (),
    ) -> None:
        self.add_finding(
            Finding(
                severity=severity, code=code, message=message, action=action, peer_ids=peer_ids
            ),
            headline,
        )

    def add_finding(self, finding: Finding, headline: str = "") -> None:
        if finding.code not in CODES:  # a programming error, caught by the tests
            raise KeyError(f"undocumented finding code {finding.code!r}")
        self.items.append(finding)
        self.headlines.append(headline)

    def extend(self, other: Findings) -> None:
        self.items.extend(other.items)
        self.headlines.extend(other.headlines)
        self.metrics.update(other.metrics)

    def top_headlines(self, limit: int = 2) -> list[str]:
        """Headlines of the most severe warning/critical findings, most severe first."""
        ranked = sorted(
            (
                (-SEVERITY_RANK[f.severity], i, h)
                for i, (f, h) in enumerate(zip(self.items, self.headlines, strict=True))
                if h and f.severity != "info"
            ),
        )
        return [h for _, _, h in ranked[:limit]]

    def metric(self, name: str, value: MetricValue) -> None:
        if value is not None:
            self.metrics[name] = value

    def status(self) -> Status:
        rank = max((SEVERITY_RANK[f.severity] for f in self.items), default=0)
        return ("good", "fair", "poor")[rank]

    def ordered(self) -> tuple[Finding, ...]:
        return tuple(sorted(self.items, key=lambda f: -SEVERITY_RANK[f.severity]))

    def has(self, code: str) -> bool:
        return any(f.code == code for f in self.items)

    def area(self, summary: str, *, known: bool = True) -> Area:
        return Area(
            status=self.status() if known else "unknown",
            summary=summary,
            findings=self.ordered(),
            metrics=dict(self.metrics),
        )


def band(value: float, fair: float, poor: float, *, higher_is_worse: bool = True) -> Status:
    """Classify against a fair/poor band: ``>= fair`` fair, ``> poor`` poor (or mirrored)."""
    if higher_is_worse:
        if value > poor:
            return "poor"
        return "fair" if value >= fair else "good"
    if value < poor:
        return "poor"
    return "fair" if value < fair else "good"


STATUS_SEVERITY: dict[Status, Severity] = {
    "good": "info",
    "unknown": "info",
    "fair": "warning",
    "poor": "critical",
}
