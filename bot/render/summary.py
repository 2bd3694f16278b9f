"""The summary card: a verdict someone can decide from in five seconds.

Layout (DESIGN.md, "Slack surface"): header (verdict emoji and word, then the name; never
green unless ``overall`` is good), one "who" line, the verdict with the ``headline``, a line
that begins with ``Next:``, the areas worst first (at most two findings each, never repeating
the headline), the buttons (the worst area's drill-down primary) and a footer keyed on the
peer ID that was *requested*. At most :data:`MAX_LINES` visible lines and
:data:`MAX_VISIBLE_CHARS` characters; the notification ``text`` is at most
:data:`FALLBACK_CHARS` characters, verdict first, cut at a word boundary.

``render_summary`` returns exactly the ``chat.postMessage`` payload (``peer-report show
--format blocks`` prints it). Every string from the report is escaped here; the template only
lays the pieces out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from bot.health.model import AREA_NAMES, STATUS_RANK, Area, AreaName, Assessment, Finding
from bot.realtimekit.models import Participant
from bot.render.actions import card_buttons
from bot.render.environment import render_template
from bot.render.escape import code, escape_mrkdwn, inline, one_line, plain
from bot.render.limits import clip, cut_words, enforce_message
from bot.render.privacy import mask_location, mask_shared
from bot.render.style import AREA_TITLE, STATUS_EMOJI, STATUS_WORD, VERDICT_WORD
from bot.timeutil import fmt_duration, fmt_stamp, parse_ts

#: The card's hard budgets (issue 14): visible lines and characters, and the notification.
MAX_LINES: Final = 12
MAX_VISIBLE_CHARS: Final = 1200
FALLBACK_CHARS: Final = 150
#: Findings under one area, and on the whole card (the rest: "+N more in <drill-down>").
FINDINGS_PER_AREA: Final = 2
FINDINGS_PER_CARD: Final = 3
#: Character budgets of the pieces, before the card-wide budget trims further.
WHO_CHARS: Final = 260
HEADLINE_CHARS: Final = 200
NEXT_CHARS: Final = 200
SUMMARY_CHARS: Final = 110
FINDING_CHARS: Final = 150
SEVERITY_MARK: Final = {"critical": "❗", "warning": "⚠️", "info": "ℹ️"}
#: Where the rest of an area's evidence is (the drill-down button's label).
AREA_DRILLDOWN: Final[dict[AreaName, str]] = {
    "device": "Device & IP",
    "network": "Candidate pairs",
    "quality": "Quality",
}

#: Two texts that open with the same this many characters say the same thing.
REPEAT_PREFIX: Final = 60

_WORDS = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class CardText:
    """The card's visible text, before layout (so the budget can be checked and trimmed)."""

    header: str
    who: str
    verdict: str
    areas: list[tuple[AreaName, str]]
    footer: str

    def lines(self) -> int:
        texts = [self.header, self.who, self.verdict, *(t for _, t in self.areas), self.footer]
        return sum(t.count("\n") + 1 for t in texts)

    def chars(self) -> int:
        texts = [self.header, self.who, self.verdict, *(t for _, t in self.areas), self.footer]
        return sum(len(t) for t in texts)


def display_name(participant: Participant) -> str:
    return one_line(participant.display_name or "") or "Unnamed participant"


def _norm(text: str) -> str:
    return _WORDS.sub(" ", text.lower()).strip()


def _repeats(text: str, headline: str) -> bool:
    """Whether ``text`` says the headline again (either contains the other, ignoring case)."""
    a, b = _norm(text), _norm(headline)
    if not (a and b):
        return False
    # The engine may append to a finding's message ("… (4 more findings below)"): the same
    # opening is the same sentence.
    opening = min(len(a), len(b), REPEAT_PREFIX)
    return a in b or b in a or a[:opening] == b[:opening]


def worst_finding(assessment: Assessment) -> Finding | None:
    """The most severe warning/critical finding, worst area first."""
    order = {"critical": 0, "warning": 1, "info": 2}
    ranked = [f for name in _areas_worst_first(assessment) for f in assessment.areas[name].findings]
    ranked = [f for f in ranked if f.severity != "info"]
    return min(ranked, key=lambda f: order[f.severity]) if ranked else None


def headline(assessment: Assessment) -> str:
    """The engine's headline; for assessments without one, the worst finding or area."""
    if assessment.headline:
        return assessment.headline
    worst = worst_finding(assessment)
    if worst is not None:
        return worst.message
    if assessment.overall == "good":
        return "Nothing in this report points at a problem."
    return "The report holds too little data to judge."


def next_step(assessment: Assessment) -> str:
    if assessment.next_step:
        return assessment.next_step
    worst = worst_finding(assessment)
    if worst is not None and worst.action:
        return worst.action
    if assessment.overall == "good":
        return (
            "Nothing to fix on this side; if they still had trouble, check the other "
            "participants — Whole call."
        )
    if assessment.overall == "unknown":
        return "Ask the participant to rejoin and reproduce, then refresh this report."
    return "Open the drill-down of the worst area below for the evidence."


def _areas_worst_first(assessment: Assessment) -> list[AreaName]:
    """Poor, fair, unknown, good; ties keep device, network, quality order."""
    rank = {**STATUS_RANK, "unknown": 0.5}
    return sorted(AREA_NAMES, key=lambda n: -rank[assessment.areas[n].status])


def worst_area(assessment: Assessment) -> AreaName | None:
    """The area whose drill-down is the primary button (only when something is wrong)."""
    first = _areas_worst_first(assessment)[0]
    return first if assessment.areas[first].status in ("fair", "poor") else None


def _prose(text: str, limit: int) -> str:
    """Engine text (which may quote device labels or event data): one line, escaped, cut."""
    return escape_mrkdwn(cut_words(one_line(text), limit))


def _said_elsewhere(participant: Participant, assessment: Assessment, show_ip: bool) -> list[str]:
    """Facts the who line already states (place, ISP, SDK): area summaries drop them."""
    metadata = participant.peer_report.metadata if participant.peer_report else None
    where = mask_location(metadata.ip_information if metadata else None, show_ip)
    facts = [str(v) for k, v in where.items() if k in ("city", "country", "asn", "org") and v]
    metrics = assessment.areas["device"].metrics
    facts += [str(metrics[k]) for k in ("sdk_name", "sdk_version") if metrics.get(k)]
    return [f for f in facts if len(f) >= 2]


def _without(summary: str, facts: list[str]) -> str:
    """``summary`` minus the comma-separated parts that only repeat ``facts``."""
    if not facts:
        return summary
    sections = []
    for section in summary.split(" — "):
        parts = [
            part
            for part in section.split(", ")
            if not any(f in part or part.strip(" .…") in f for f in facts)
        ]
        if parts:
            sections.append(", ".join(parts))
    return " — ".join(sections)


def _who(participant: Participant, assessment: Assessment, show_ip: bool, peer_id: str) -> str:
    items: list[str] = []
    if participant.custom_participant_id:
        items.append(f"Custom ID `{code(clip(participant.custom_participant_id, 60))}`")
    joined, left = parse_ts(participant.joined_at), parse_ts(participant.left_at)
    span = ""
    if joined is not None:
        span = fmt_stamp(joined)
        if left is not None:
            span += f"–{left.strftime('%H:%M')} UTC"
    minutes = participant.duration
    if minutes is not None and 0 <= minutes < 1e7:
        span += f" ({fmt_duration(minutes * 60)})"
    elif joined is not None and left is not None and left >= joined:
        span += f" ({fmt_duration((left - joined).total_seconds())})"
    if span.strip():
        items.append(span.strip())
    if participant.role:
        items.append(inline(clip(participant.role, 40)))
    metadata = participant.peer_report.metadata if participant.peer_report else None
    where = mask_location(metadata.ip_information if metadata else None, show_ip)
    place = ", ".join(v for k, v in where.items() if k in ("city", "country"))
    network = where.get("asn") or where.get("org")
    location = " · ".join(p for p in (place, network) if p)
    if location:
        items.append(inline(clip(location, 90)))
    metrics = assessment.areas["device"].metrics
    sdk = " ".join(str(metrics[k]) for k in ("sdk_name", "sdk_version") if metrics.get(k))
    if sdk:
        items.append(f"SDK {inline(clip(sdk, 50))}")
    if participant.id and participant.id != peer_id:
        items.append(f"report's participant ID `{code(clip(participant.id, 64))}`")
    return clip(" · ".join(items), WHO_CHARS) or "No participant details in this report"


def _verdict(assessment: Assessment, head: str, step: str, limits: tuple[int, int]) -> str:
    word = VERDICT_WORD[assessment.overall]
    return f"*{word}* — {_prose(head, limits[0])}\nNext: {_prose(step, limits[1])}"


def _area_lines(
    assessment: Assessment,
    head: str,
    summary_chars: int,
    finding_budget: int,
    facts: list[str],
) -> list[tuple[AreaName, str]]:
    out: list[tuple[AreaName, str]] = []
    left = finding_budget
    for name in _areas_worst_first(assessment):
        area: Area = assessment.areas[name]
        title = f"{STATUS_EMOJI[area.status]} *{AREA_TITLE[name]} — {STATUS_WORD[area.status]}*"
        said = _without(area.summary, facts)
        summary = "" if _repeats(said, head) else _prose(said, summary_chars)
        candidates = [
            f for f in area.findings if f.severity != "info" and not _repeats(f.message, head)
        ]
        shown = candidates[: min(FINDINGS_PER_AREA, left)]
        left -= len(shown)
        hidden = len(candidates) - len(shown)
        line = f"{title}: {summary}" if summary else title
        if hidden > 0:
            line += f" _(+{hidden} more in {AREA_DRILLDOWN[name]})_"
        lines = [
            line,
            *(f"{SEVERITY_MARK[f.severity]} {_prose(f.message, FINDING_CHARS)}" for f in shown),
        ]
        out.append((name, "\n".join(lines)))
    return out


def _fallback(assessment: Assessment, name: str, head: str) -> str:
    """``Poor: Linus — upload lost 6 % …``: verdict first, ≤ 150 characters, whole words."""
    who = plain(name, 50)
    text = f"{VERDICT_WORD[assessment.overall]}: {who} — {one_line(head)}"
    budget = FALLBACK_CHARS
    while True:
        # The notification is mrkdwn too: escaped like the card (mentions in it would ping).
        out = inline(cut_words(text, budget))
        if len(out) <= FALLBACK_CHARS:
            return out
        budget -= len(out) - FALLBACK_CHARS


def _header(assessment: Assessment, name: str) -> str:
    """``🔴 Poor: Mallory``: a long name is cut, the verdict always stays."""
    prefix = f"{STATUS_EMOJI[assessment.overall]} {VERDICT_WORD[assessment.overall]}: "
    return prefix + plain(name, 150 - len(prefix))


def build_card_text(
    participant: Participant,
    assessment: Assessment,
    *,
    app_id: str,
    peer_id: str,
    show_ip: bool,
    fetched_at: datetime,
) -> CardText:
    """The card's text within the line and character budgets (trimmed worst-case first)."""
    name = display_name(participant)
    head, step = headline(assessment), next_step(assessment)
    footer = (
        f"Peer `{code(clip(peer_id, 64))}`"
        + (f" · app `{code(clip(app_id, 64))}`" if app_id else "")
        + f" · {fetched_at.astimezone(UTC).strftime('%Y-%m-%d %H:%M')} UTC"
        + ("" if show_ip else " · IP addresses masked")
    )
    who = _who(participant, assessment, show_ip, peer_id)
    facts = _said_elsewhere(participant, assessment, show_ip)
    # Trim in steps until the card fits: fewer findings, shorter summaries, shorter prose.
    for findings, summary_chars, prose in (
        (FINDINGS_PER_CARD, SUMMARY_CHARS, (HEADLINE_CHARS, NEXT_CHARS)),
        (2, SUMMARY_CHARS, (HEADLINE_CHARS, NEXT_CHARS)),
        (1, 80, (160, 160)),
        (0, 60, (140, 140)),
        (0, 0, (110, 110)),
    ):
        card = CardText(
            header=_header(assessment, name),
            who=who,
            verdict=_verdict(assessment, head, step, prose),
            areas=_area_lines(assessment, head, summary_chars, findings, facts),
            footer=footer,
        )
        if card.lines() <= MAX_LINES and card.chars() <= MAX_VISIBLE_CHARS:
            return card
    return CardText(card.header, clip(who, 120), card.verdict, card.areas, footer)


def render_summary(
    participant: Participant,
    assessment: Assessment,
    *,
    app_id: str,
    peer_id: str | None = None,
    show_ip: bool = False,
    fetched_at: datetime | None = None,
    can_post: bool = True,
) -> dict[str, Any]:
    """The card, as the ``chat.postMessage`` payload ``{"text", "blocks"}``.

    ``peer_id`` is the peer that was requested (the one in the API path); every button, the
    footer and the drill-downs key on it, never on the report's ``participant.id``.
    ``can_post`` is false where there is no channel to post into (App Home): the buttons
    that post into the thread are then left out instead of failing when clicked.
    """
    peer = peer_id or assessment.peer_id or participant.id or ""
    card = build_card_text(
        participant,
        assessment,
        app_id=app_id,
        peer_id=peer,
        show_ip=show_ip,
        fetched_at=fetched_at or datetime.now(UTC),
    )
    # Buttons need both IDs (a saved report without --app has none): no half-working buttons.
    buttons = (
        card_buttons(
            app_id,
            peer,
            primary=worst_area(assessment),
            session_id=participant.session_id,
            can_post=can_post,
            has_chart_data=has_quality_samples(participant),
            implicated=implicated_peers(assessment),
        )
        if app_id and peer
        else []
    )
    payload = render_template(
        "summary.json.j2",
        fallback=_fallback(assessment, display_name(participant), headline(assessment)),
        header=card.header,
        who=card.who,
        verdict=card.verdict,
        areas=[{"block_id": f"pr-area-{n}", "text": t} for n, t in card.areas],
        buttons=buttons,
        footer=card.footer,
    )
    return mask_shared(enforce_message(payload), participant, show_ip)


def implicated_peers(assessment: Assessment) -> list[str]:
    """Remote peers named by warning/critical findings, worst area first."""
    return [
        peer
        for name in _areas_worst_first(assessment)
        for finding in assessment.areas[name].findings
        if finding.severity != "info"
        for peer in finding.peer_ids
    ]


def has_quality_samples(participant: Participant) -> bool:
    """Whether the report has any per-sample quality stats (what the chart draws)."""
    quality = participant.peer_report.quality if participant.peer_report else None
    if quality is None:
        return False
    return any(
        isinstance(value, list) and value
        for key, value in quality
        if not key.endswith("_cumulative")
    )
