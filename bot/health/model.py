"""The assessment: strict, frozen domain models (the JSON contract of ``--format json``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["good", "fair", "poor", "unknown"]
Severity = Literal["info", "warning", "critical"]
AreaName = Literal["device", "network", "quality"]

AREA_NAMES: tuple[AreaName, ...] = ("device", "network", "quality")

#: Worse statuses sort higher; ``unknown`` never wins the overall verdict.
STATUS_RANK: dict[Status, int] = {"unknown": -1, "good": 0, "fair": 1, "poor": 2}
SEVERITY_RANK: dict[Severity, int] = {"info": 0, "warning": 1, "critical": 2}

MetricValue = float | int | str | bool | None


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(Frozen):
    severity: Severity
    code: str
    message: str


class Area(Frozen):
    status: Status
    summary: str
    findings: tuple[Finding, ...] = ()
    metrics: dict[str, MetricValue] = Field(default_factory=dict)


class Assessment(Frozen):
    peer_id: str | None
    app_id: str | None
    session_id: str | None
    display_name: str | None
    overall: Status
    areas: dict[AreaName, Area]


def worst(statuses: list[Status]) -> Status:
    """The worst known status; ``unknown`` only when nothing is known."""
    known = [s for s in statuses if s != "unknown"]
    if not known:
        return "unknown"
    return max(known, key=lambda s: STATUS_RANK[s])
