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
    #: What to do about it (one sentence), when there is something to do.
    action: str | None = None
    #: Remote participants this finding implicates (e.g. the sender whose media arrived lossy).
    peer_ids: tuple[str, ...] = ()


class Area(Frozen):
    status: Status
    summary: str
    findings: tuple[Finding, ...] = ()
    metrics: dict[str, MetricValue] = Field(default_factory=dict)


class SenderStats(Frozen):
    """What this participant received from one remote sender (for cross-peer blame).

    ``loss_pct`` is the packet loss measured on this receiver over all of the sender's
    streams (audio and video together), ``None`` when not measured.
    """

    peer_id: str
    media: tuple[str, ...] = ()
    loss_pct: float | None = None
    packets: int = 0
    lossy: bool = False


class Assessment(Frozen):
    #: The peer ID that was requested (the one in the API path), not ``participant.id``.
    peer_id: str | None
    app_id: str | None
    session_id: str | None
    display_name: str | None
    overall: Status
    areas: dict[AreaName, Area]
    #: One sentence: the cause, or why it is healthy, or what data is missing.
    headline: str = ""
    #: One sentence: what to do now.
    next_step: str = ""
    #: The report's ``participant.id`` when it differs from ``peer_id``.
    participant_id: str | None = None
    #: Received media grouped per remote sender (consumer samples name the sender).
    received_from: tuple[SenderStats, ...] = ()
    #: Packet loss on what this participant sent (its own uplink), ``None`` when not measured.
    uplink_loss_pct: float | None = None


def worst(statuses: list[Status]) -> Status:
    """The worst known status; ``unknown`` only when nothing is known."""
    known = [s for s in statuses if s != "unknown"]
    if not known:
        return "unknown"
    return max(known, key=lambda s: STATUS_RANK[s])
