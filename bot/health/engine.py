"""The entry point: one participant's peer report -> :class:`Assessment` (pure, no I/O)."""

from __future__ import annotations

from bot.health.device import assess_device
from bot.health.lifecycle import assess_lifecycle
from bot.health.model import Assessment, worst
from bot.health.network import assess_network
from bot.health.quality import assess_quality
from bot.health.timeline import TimestampCache
from bot.realtimekit.models import Participant


def assess(participant: Participant, *, app_id: str | None = None) -> Assessment:
    """Judge device, network and quality health of one participant.

    Deterministic and total: any report the wire models accept gives an assessment. An area
    with no data is ``unknown`` with a summary naming what was absent; ``overall`` is the
    worst known area.
    """
    times = TimestampCache()
    report = participant.peer_report
    quality = assess_quality(report.quality if report else None, times)
    lifecycle = assess_lifecycle(participant, times)
    device = assess_device(participant, quality.signals, times)
    network = assess_network(participant, quality.signals, lifecycle)
    areas = {"device": device, "network": network, "quality": quality.area}
    return Assessment(
        peer_id=participant.id,
        app_id=app_id,
        session_id=participant.session_id,
        display_name=participant.display_name,
        overall=worst([a.status for a in areas.values()]),
        areas=areas,
    )
