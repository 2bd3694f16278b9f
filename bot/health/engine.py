"""The entry point: one participant's peer report -> :class:`Assessment` (pure, no I/O)."""

from __future__ import annotations

from bot.health.actions import fill_actions
from bot.health.device import assess_device
from bot.health.events import assess_events
from bot.health.findings import Findings
from bot.health.lifecycle import assess_lifecycle
from bot.health.model import STATUS_RANK, Area, AreaName, Assessment
from bot.health.network import assess_network
from bot.health.quality import assess_quality
from bot.health.timeline import TimestampCache
from bot.health.verdict import headline_and_next_step, overall_status
from bot.realtimekit.models import Participant


def assess(
    participant: Participant, *, app_id: str | None = None, peer_id: str | None = None
) -> Assessment:
    """Judge device, network and quality health of one participant.

    Deterministic and total: any report the wire models accept gives an assessment. An area is
    known only from measured evidence; ``overall`` is poor/fair when any area is, good only when
    all three are known and good, otherwise unknown. ``peer_id`` is the peer ID that was
    requested (the API path), which the report's ``participant.id`` need not equal.
    """
    times = TimestampCache()
    report = participant.peer_report
    quality = assess_quality(report.quality if report else None, times)
    lifecycle = assess_lifecycle(participant, times)
    events = assess_events(participant, times)
    quality_area = merge(quality.area, events.quality)
    device = assess_device(
        participant,
        quality.signals,
        times,
        media_suffered=quality_area.status in ("fair", "poor"),
        extra=events.device,
    )
    network = assess_network(participant, quality.signals, lifecycle, events.network)
    areas: dict[AreaName, Area] = {
        "device": fill_actions(device),
        "network": fill_actions(network),
        "quality": fill_actions(quality_area),
    }
    overall = overall_status(areas)
    headline, next_step = headline_and_next_step(areas, overall)
    requested = peer_id or participant.id
    return Assessment(
        peer_id=requested,
        app_id=app_id,
        session_id=participant.session_id,
        display_name=participant.display_name,
        overall=overall,
        areas=areas,
        headline=headline,
        next_step=next_step,
        participant_id=participant.id if participant.id and participant.id != requested else None,
        received_from=quality.attribution.received_from,
        uplink_loss_pct=quality.attribution.uplink_loss_pct,
    )


def merge(area: Area, extra: Findings) -> Area:
    """``area`` with findings from elsewhere (SDK events) that belong to it.

    A warning or critical finding makes an unknown area known-bad; info findings never make an
    unknown area known.
    """
    if not extra.items:
        return area
    status = area.status
    implied = extra.status()
    if implied != "good" and (status == "unknown" or STATUS_RANK[implied] > STATUS_RANK[status]):
        status = implied
    combined = Findings(items=list(area.findings) + list(extra.items))
    summary = area.summary
    heads = extra.top_headlines(2)
    if heads and status != area.status:
        text = "; ".join(heads)
        summary = f"{text[0].upper()}{text[1:]} — {area.summary[0].lower()}{area.summary[1:]}"
    return Area(
        status=status,
        summary=summary,
        findings=combined.ordered(),
        metrics=dict(area.metrics) | extra.metrics,
    )
