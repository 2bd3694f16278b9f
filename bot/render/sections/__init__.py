"""Drill-down views: events timeline, candidate pairs, per-track quality, device & IP, raw.

One module per view (:mod:`.events`, :mod:`.pairs`, :mod:`.quality`, :mod:`.device`,
:mod:`.raw`), the shared row formatting in :mod:`.content` and the page layout in
:mod:`.paging`. The renderers take the :class:`~bot.health.Assessment` the caller already
made (``assess()`` runs once per report, not once per view).

Each section is built once as a list of *rows* (pre-formatted, pre-escaped mrkdwn) and then
laid out three ways: a paginated modal, a message (≤ 50 blocks, paginated too) and terminal
text (everything, unpaginated). Nothing is cut silently: every page says where it is and
the Previous/Next buttons carry the page in their value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.identifiers import SECTION_WORDS
from bot.realtimekit.models import Participant
from bot.render.escape import escape_mrkdwn, one_line
from bot.render.limits import clip, enforce_message, enforce_view
from bot.render.privacy import mask_shared
from bot.render.sections.content import TITLES, WIDE, Section
from bot.render.sections.device import device_section
from bot.render.sections.events import TROUBLE, events_section
from bot.render.sections.paging import MESSAGE_PAGE, VIEW_PAGE, page_blocks, plain_text
from bot.render.sections.pairs import pairs_section, path_meaning
from bot.render.sections.quality import SPARK, not_measured_note, quality_section, sparkline
from bot.render.sections.raw import RAW_NOTE, raw_section, render_raw_json
from bot.render.summary import display_name

if TYPE_CHECKING:
    from bot.health import Assessment

__all__ = [
    "MESSAGE_PAGE",
    "RAW_NOTE",
    "SECTIONS",
    "SPARK",
    "TITLES",
    "TROUBLE",
    "VIEW_PAGE",
    "WIDE",
    "Section",
    "build_section",
    "not_measured_note",
    "path_meaning",
    "render_raw_json",
    "render_section_blocks",
    "render_section_text",
    "render_section_view",
    "sparkline",
]

SECTIONS = SECTION_WORDS


def build_section(
    participant: Participant,
    section: str,
    *,
    assessment: Assessment,
    app_id: str,
    show_ip: bool,
    raw: bytes | None = None,
    peer_id: str | None = None,
) -> Section:
    """One section's content; ``peer_id`` is the requested peer (buttons and hints use it)."""
    if section == "events":
        return events_section(participant)
    if section == "pairs":
        return pairs_section(participant, show_ip)
    if section == "quality":
        return quality_section(participant, assessment)
    if section == "device":
        return device_section(participant, assessment, show_ip)
    if section == "raw":
        return raw_section(participant, app_id, show_ip, raw, peer_id)
    raise ValueError(f"unknown section {section!r}: expected one of {', '.join(SECTIONS)}")


def render_section_view(
    participant: Participant,
    section: str,
    *,
    assessment: Assessment,
    app_id: str,
    show_ip: bool,
    page: int = 1,
    channel_id: str | None = None,
    peer_id: str | None = None,
) -> dict[str, Any]:
    """A modal for one drill-down (≤ 100 blocks, paginated)."""
    content = build_section(
        participant, section, assessment=assessment, app_id=app_id, show_ip=show_ip, peer_id=peer_id
    )
    blocks = page_blocks(
        content,
        participant,
        section=section,
        app_id=app_id,
        page=page,
        per_page=VIEW_PAGE,
        channel_id=channel_id,
        peer_id=peer_id,
    )
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": content.title},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks,
    }
    return mask_shared(enforce_view(view), participant, show_ip)


def render_section_blocks(
    participant: Participant,
    section: str,
    *,
    assessment: Assessment,
    app_id: str,
    show_ip: bool,
    page: int = 1,
    raw: bytes | None = None,
    peer_id: str | None = None,
) -> dict[str, Any]:
    """The same content as a message payload (≤ 50 blocks, paginated)."""
    content = build_section(
        participant,
        section,
        assessment=assessment,
        app_id=app_id,
        show_ip=show_ip,
        raw=raw,
        peer_id=peer_id,
    )
    blocks = page_blocks(
        content,
        participant,
        section=section,
        app_id=app_id,
        page=page,
        per_page=MESSAGE_PAGE,
        channel_id=None,
        peer_id=peer_id,
    )
    text = f"{content.title} for {one_line(display_name(participant))}"
    payload = enforce_message({"text": escape_mrkdwn(clip(text, 300)), "blocks": blocks})
    return mask_shared(payload, participant, show_ip)


def render_section_text(
    participant: Participant,
    section: str,
    *,
    assessment: Assessment,
    show_ip: bool,
    raw: bytes | None = None,
) -> str:
    """Terminal text of the whole section (no pagination); ``raw`` prints the JSON itself."""
    if section == "raw":
        return render_raw_json(participant, show_ip=show_ip, raw=raw).decode()
    content = build_section(
        participant, section, assessment=assessment, app_id="", show_ip=show_ip, raw=raw
    )
    # One title line whatever the name holds (a newline in it must not forge a second).
    lines = [f"{content.title} — {one_line(display_name(participant))}", content.intro, ""]
    lines += content.rows or [content.empty]
    return plain_text("\n".join(lines)) + "\n"
