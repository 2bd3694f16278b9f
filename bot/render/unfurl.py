"""Link unfurls: one compact, button-free verdict per pasted URL (IPs never shown)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.ids import PeerRef
from bot.render.environment import render_template
from bot.render.escape import escape_mrkdwn, inline
from bot.render.limits import clip
from bot.render.privacy import mask_shared

if TYPE_CHECKING:
    from bot.health.model import Assessment
    from bot.realtimekit.models import Participant

from bot.render.style import AREA_TITLE, STATUS_EMOJI, badge


def render_unfurl(
    participant: Participant, assessment: Assessment, *, app_id: str
) -> dict[str, Any]:
    from bot.health.model import AREA_NAMES

    name = inline(participant.display_name or "") or "(no name)"
    peer = assessment.peer_id or participant.id or ""
    headline = (
        f"{STATUS_EMOJI[assessment.overall]} *{name}* — peer report: *{badge(assessment.overall)}*"
    )
    lines = []
    for area_name in AREA_NAMES:
        area = assessment.areas[area_name]
        summary = escape_mrkdwn(clip(area.summary, 180))
        lines.append(f"{STATUS_EMOJI[area.status]} *{AREA_TITLE[area_name]}*: {summary}")
    lines.append(f"Full report: `/peer-report {app_id} {peer}`")
    payload = render_template("unfurl.json.j2", headline=clip(headline, 3000), lines=lines)
    return mask_shared(payload, participant, show_ip=False)


def render_unfurl_error(ref: PeerRef, message: str) -> dict[str, Any]:
    return render_template(
        "unfurl.json.j2",
        headline=f":warning: Peer report unavailable for peer `{ref.peer_id}`",
        lines=[escape_mrkdwn(clip(message, 300))],
    )
