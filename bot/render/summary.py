"""The summary card: who, the overall verdict, one line per area with its evidence, buttons.

``render_summary`` returns exactly the ``chat.postMessage`` payload (``peer-report show
--format blocks`` prints it). Every string from the report is escaped here; the template only
lays the pieces out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.health.model import AREA_NAMES, Assessment, Finding, Status
from bot.realtimekit.models import Participant
from bot.render.actions import CARD_BUTTONS, encode_value
from bot.render.environment import render_template
from bot.render.escape import code, escape_mrkdwn, inline, one_line, plain
from bot.render.limits import MAX_HEADER_TEXT, clip, enforce_message
from bot.render.privacy import mask_location, mask_shared
from bot.render.style import AREA_TITLE, STATUS_EMOJI, STATUS_WORD, badge
from bot.timeutil import fmt_duration, fmt_stamp, parse_ts

#: Findings shown per area on the card (the rest are one click away).
FINDINGS_PER_AREA = 3
#: Character budgets per piece of the card: together well under Slack's ~12k payload budget
#: (``limits.MAX_MESSAGE_TEXT_TOTAL``) even when every string in a report is enormous.
WHO_ITEM_CHARS = 200
SUMMARY_CHARS = 400
FINDING_CHARS = 450
FALLBACK_CHARS = 300
HEADER_SUFFIX = " — peer report"
SEVERITY_MARK = {"critical": "❗", "warning": "⚠️", "info": "ℹ️"}


def _who(participant: Participant, assessment: Assessment, show_ip: bool) -> list[str]:
    items: list[str] = []
    if participant.custom_participant_id:
        items.append(f"Custom ID: `{code(clip(participant.custom_participant_id, 80))}`")
    if participant.session_id:
        items.append(f"Session `{code(clip(participant.session_id, 64))}`")
    joined, left = parse_ts(participant.joined_at), parse_ts(participant.left_at)
    if joined is not None:
        span = fmt_stamp(joined)
        if left is not None:
            span += f" → {left.strftime('%H:%M')} UTC"
        items.append(span)
    if participant.duration is not None and participant.duration >= 0:
        items.append(f"{fmt_duration(participant.duration * 60)} in the call")
    elif joined is not None and left is not None:
        items.append(f"{fmt_duration((left - joined).total_seconds())} in the call")
    role_bits = [participant.role]
    events = participant.peer_events or []
    preset = next((e.preset_view_type for e in events if e.preset_view_type), None)
    role_bits.append(preset.replace("_", " ").lower() if preset else None)
    role = " · ".join(inline(clip(b, 40)) for b in role_bits if b)
    if role:
        items.append(role)
    metrics = assessment.areas["device"].metrics
    sdk = " ".join(str(metrics[k]) for k in ("sdk_name", "sdk_version") if metrics.get(k))
    if sdk:
        items.append(f"SDK {inline(clip(sdk, 60))}")
    metadata = participant.peer_report.metadata if participant.peer_report else None
    where = mask_location(metadata.ip_information if metadata else None, show_ip)
    place = ", ".join(v for k, v in where.items() if k in ("city", "country"))
    network = where.get("asn") or where.get("org")
    location = " · ".join(p for p in (place, network) if p)
    if location:
        items.append(f"From {inline(clip(location, 120))}")
    return [clip(i, WHO_ITEM_CHARS) for i in items[:10]] or [
        "No participant details in this report"
    ]


def _finding_line(finding: Finding) -> str:
    return f"{SEVERITY_MARK[finding.severity]} {_prose(finding.message, FINDING_CHARS)}"


def _prose(text: str, limit: int) -> str:
    """Engine text (which may quote device labels or event data): one line, escaped, clipped."""
    return escape_mrkdwn(clip(one_line(text), limit))


def _area_text(name: str, assessment: Assessment) -> str:
    area = assessment.areas[name]  # type: ignore[index]
    head = (
        f"{STATUS_EMOJI[area.status]} *{AREA_TITLE[name]} — {STATUS_WORD[area.status]}*: "
        f"{_prose(area.summary, SUMMARY_CHARS)}"
    )
    shown = [f for f in area.findings if f.severity != "info"][:FINDINGS_PER_AREA]
    if not shown and area.status != "unknown":
        shown = list(area.findings[:1])
    lines = [head, *(_finding_line(f) for f in shown)]
    hidden = len(area.findings) - len(shown)
    if hidden > 0:
        lines.append(f"_+{hidden} more finding{'s' if hidden != 1 else ''} in the drill-downs_")
    return clip("\n".join(lines), 3000)


def _worst_finding(assessment: Assessment) -> Finding | None:
    ranked = [
        f for name in AREA_NAMES for f in assessment.areas[name].findings if f.severity != "info"
    ]
    order = {"critical": 0, "warning": 1, "info": 2}
    return min(ranked, key=lambda f: order[f.severity]) if ranked else None


def _header(overall: Status, name: str) -> str:
    """``🔴 Mallory — peer report``: a long name is cut, the suffix always stays."""
    emoji = STATUS_EMOJI[overall]
    budget = MAX_HEADER_TEXT - len(emoji) - 1 - len(HEADER_SUFFIX)
    return f"{emoji} {plain(name, budget)}{HEADER_SUFFIX}"


def display_name(participant: Participant) -> str:
    return (participant.display_name or "").strip() or "Unnamed participant"


def render_summary(
    participant: Participant,
    assessment: Assessment,
    *,
    app_id: str,
    show_ip: bool = False,
    fetched_at: datetime | None = None,
) -> dict[str, Any]:
    """The card, as the ``chat.postMessage`` payload ``{"text", "blocks"}``."""
    name = display_name(participant)
    peer_id = assessment.peer_id or participant.id or ""
    overall = assessment.overall
    worst = _worst_finding(assessment)
    overall_text = f"*Overall: {badge(overall)}*"
    if worst is not None:
        overall_text += f" — {_prose(worst.message, FINDING_CHARS)}"
    elif overall == "good":
        overall_text += " — nothing in this report points at a problem."
    elif overall == "unknown":
        overall_text += " — the report holds too little data to judge."
    # The notification line: mrkdwn too (mentions in it would ping), so escaped like the card.
    fallback = f"Peer report for {inline(clip(name, 100))}: {STATUS_WORD[overall].lower()}"
    if worst is not None:
        fallback += f" — {_prose(worst.message, FALLBACK_CHARS)}"
    # Buttons need both IDs (a saved report without --app has none): no half-working buttons.
    buttons = [
        {"action_id": action_id, "label": label, "value": encode_value(app_id, peer_id)}
        for action_id, label in CARD_BUTTONS
        if app_id and peer_id
    ]
    moment = (fetched_at or datetime.now(UTC)).astimezone(UTC)
    footer = (
        f"Peer `{code(clip(peer_id, 64))}` · "
        + (f"app `{code(clip(app_id, 64))}` · " if app_id else "")
        + f"updated {moment.strftime('%Y-%m-%d %H:%M')} UTC"
        + ("" if show_ip else " · IP addresses masked")
    )
    payload = render_template(
        "summary.json.j2",
        fallback=clip(fallback, FALLBACK_CHARS),
        header=_header(overall, name),
        who=_who(participant, assessment, show_ip),
        overall=clip(overall_text, 3000),
        areas=[{"block_id": f"pr-area-{n}", "text": _area_text(n, assessment)} for n in AREA_NAMES],
        buttons=buttons,
        footer=footer,
    )
    return mask_shared(enforce_message(payload), participant, show_ip)
