"""One page of a section's rows as blocks, with Previous/Next (and Show full IP) buttons.

Nothing is cut silently: every page says where it is and the buttons carry the page.
"""

from __future__ import annotations

import math
from typing import Any

from bot.realtimekit.models import Participant
from bot.render.actions import PAGE_NEXT, PAGE_PREV, REVEAL_IP, encode_value
from bot.render.environment import render_template
from bot.render.escape import escape_mrkdwn, inline
from bot.render.limits import clip
from bot.render.sections.content import Section
from bot.render.summary import display_name
from bot.timeutil import fmt_stamp, parse_ts

#: Rows per page: a modal holds 100 blocks, a message 50 (a few go to headers and buttons).
VIEW_PAGE = 25
MESSAGE_PAGE = 20


def page_blocks(
    content: Section,
    participant: Participant,
    *,
    section: str,
    app_id: str,
    page: int,
    per_page: int,
    channel_id: str | None,
    peer_id: str | None = None,
) -> list[dict[str, Any]]:
    """The blocks of one page; buttons carry ``peer_id`` (the requested peer), not the
    report's own ``participant.id``, which the API does not promise to be the same."""
    pages = max(1, math.ceil(len(content.rows) / per_page))
    page = min(max(1, page), pages)
    shown = content.rows[(page - 1) * per_page : page * per_page]
    peer = peer_id or participant.id or ""
    name = inline(clip(display_name(participant), 120))
    joined = parse_ts(participant.joined_at)
    who = f"*{name}* · peer `{inline(peer)}`"
    if participant.id and participant.id != peer:
        who += f" (report ID `{inline(participant.id)}`)"
    who += f" · joined {fmt_stamp(joined)}" if joined else ""
    buttons: list[dict[str, str]] = []
    value_extra = {"s": section, "c": channel_id or ""}
    if page > 1:
        buttons.append(
            {
                "action_id": PAGE_PREV,
                "label": "◀ Previous",
                "value": encode_value(app_id, peer, pg=page - 1, **value_extra),
            }
        )
    if page < pages:
        buttons.append(
            {
                "action_id": PAGE_NEXT,
                "label": "Next ▶",
                "value": encode_value(app_id, peer, pg=page + 1, **value_extra),
            }
        )
    if content.reveal_ip:
        buttons.append(
            {
                "action_id": REVEAL_IP,
                "label": "Show full IP (only to me)",
                "value": encode_value(app_id, peer, c=channel_id or ""),
            }
        )
    position = f"Page {page} of {pages} · {len(content.rows)} items" if pages > 1 else ""
    payload = render_template(
        "section.json.j2",
        who=clip(who, 3000),
        intro=clip(content.intro, 3000) if content.intro else "",
        rows=[clip(r, 3000) for r in shown] or [escape_mrkdwn(content.empty or "Nothing here.")],
        position=position,
        buttons=buttons,
    )
    blocks: list[dict[str, Any]] = payload["blocks"]
    return blocks


def plain_text(text: str) -> str:
    """mrkdwn → terminal: undo our escapes and markup characters."""
    for old, new in (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"), ("\u200b", "")):
        text = text.replace(old, new)
    return "".join(ch for ch in text if ch.isprintable() or ch == "\n")
