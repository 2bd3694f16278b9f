"""The whole-call (session) card: Block Kit for Slack and text for a terminal (pure).

Shows the meeting title, LIVE/ENDED, duration, the counts (🔴 2 · 🟡 1 · 🟢 9 · ⚪ 1), whose
connection caused what (the blame sentences), the worst participants (up to 5) each with its
headline and an ``open_peer`` button, and how many others were fine. However many people
were in the call the card stays a fixed size: the rest are counts. Every string that came
from Cloudflare (meeting title, display names, headlines) is escaped here.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from bot.ids import SessionRef
from bot.render.actions import OPEN_PEER, SESSION, encode_value
from bot.render.environment import render_template
from bot.render.escape import code, escape_mrkdwn, inline, one_line, plain
from bot.render.limits import MAX_HEADER_TEXT, clip, enforce_message
from bot.render.style import STATUS_EMOJI
from bot.timeutil import fmt_duration, fmt_stamp, parse_ts

if TYPE_CHECKING:  # the ack path imports this module: no pydantic (health, triage) at import
    from bot.health.model import Status
    from bot.triage.model import Blame, Triage

#: "Whole call" button on a peer card; its value is :func:`session_value` (or the peer
#: card's ``{"a", "p", "s"}``). "Open card" buttons (session card, implicating findings).
SESSION_ACTION: Final = SESSION

WORST_SHOWN = 5
BLAME_SHOWN = 5
HEADER_SUFFIX = " — whole call"
FALLBACK_CHARS = 150
HEADLINE_CHARS = 300
EVIDENCE_CHARS = 500
SKIPPED_SHOWN = 3
_ORDER: tuple[Status, ...] = ("poor", "fair", "good", "unknown")


def next_step(blame: Blame) -> str:
    from bot.triage.blame import next_step as step

    return step(blame)


_ID = re.compile(r"^[0-9a-f][0-9a-f-]{30,34}[0-9a-f]$")


def session_value(app_id: str, session_id: str) -> str:
    """The ``peer_report.session`` button value: ``{"a": APP, "s": SESSION}``."""
    return json.dumps({"a": app_id, "s": session_id}, separators=(",", ":"))


def decode_session_value(value: str) -> SessionRef:
    """Strictly parse a ``peer_report.session`` value (a ``p`` peer may ride along)."""
    if len(value) > 2000:
        raise ValueError("button value too long")
    try:
        data = json.loads(value)
    except json.JSONDecodeError:
        raise ValueError("button value is not JSON") from None
    if not isinstance(data, dict) or set(data) - {"a", "s", "p", "c"}:
        raise ValueError("button value has unexpected fields")
    app, session = data.get("a"), data.get("s")
    if not (isinstance(app, str) and _ID.match(app) and isinstance(session, str)):
        raise ValueError("button value has no valid app or session ID")
    return SessionRef(app, session)


def counts_line(triage: Triage) -> str:
    counts = triage.counts
    return " · ".join(f"{STATUS_EMOJI[s]} {counts[s]}" for s in _ORDER)


def _duration(triage: Triage) -> str | None:
    start, end = parse_ts(triage.info.started_at), parse_ts(triage.info.ended_at)
    if start is None:
        return None
    if end is None and triage.info.status == "LIVE":
        end = datetime.now(UTC)
    if end is None or end < start:
        return None
    return fmt_duration((end - start).total_seconds())


def _when(triage: Triage) -> list[str]:
    info = triage.info
    items = ["🔴 *LIVE* — stats run up to now" if info.status == "LIVE" else "*ENDED*"]
    start = parse_ts(info.started_at)
    if start is not None:
        items.append(f"started {fmt_stamp(start)}")
    duration = _duration(triage)
    if duration:
        items.append(duration)
    fetched = len(triage.participants) + len(
        [s for s in triage.skipped if not s.reason.startswith("not fetched")]
    )
    items.append(f"{triage.total} participant{'s' if triage.total != 1 else ''}")
    if fetched < triage.total:
        items.append(f"{fetched} triaged")
    return items


def _blame_text(triage: Triage) -> str:
    if not triage.blame:
        if any(p.overall in ("poor", "fair") for p in triage.participants):
            return (
                "*Whose connection:* no one's connection explains what others suffered; "
                "each problem below is local to that participant."
            )
        return "*Whose connection:* nobody's connection caused trouble for others."
    lines = ["*Whose connection:*"]
    for blame in triage.blame[:BLAME_SHOWN]:
        lines.append("• " + escape_mrkdwn(clip(one_line(blame.evidence), EVIDENCE_CHARS)))
        lines.append("   ↳ _Next:_ " + escape_mrkdwn(clip(one_line(next_step(blame)), 300)))
    hidden = len(triage.blame) - BLAME_SHOWN
    if hidden > 0:
        lines.append(f"_+{hidden} more in `peer-report session … --format json`_")
    return clip("\n".join(lines), 3000)


def named(triage: Triage, text: str) -> str:
    """``text`` with the call's peer IDs replaced by the participants' names (one line).

    A single peer's headline can only name other peers by ID; in the whole call their names
    are known, and a war room reads "Carol", not a UUID.
    """
    out = one_line(text)
    for peer in triage.participants:
        if peer.peer_id in out and peer.display_name:
            out = out.replace(peer.peer_id, one_line(peer.display_name)[:60])
    return out


def _peer_rows(triage: Triage) -> list[dict[str, str]]:
    troubled = [p for p in triage.participants if p.overall != "good"]
    rows = []
    for index, peer in enumerate(troubled[:WORST_SHOWN], start=1):
        text = (
            f"{STATUS_EMOJI[peer.overall]} *{inline(clip(peer.display_name, 80))}* — "
            f"{escape_mrkdwn(clip(named(triage, peer.headline), HEADLINE_CHARS))}"
        )
        rows.append(
            {
                "block_id": f"ps-peer-{index}",
                "text": clip(text, 3000),
                "value": encode_value(triage.info.app_id, peer.peer_id),
            }
        )
    return rows


def _notes(triage: Triage) -> list[str]:
    notes: list[str] = []
    troubled = [p for p in triage.participants if p.overall != "good"]
    more = troubled[WORST_SHOWN:]
    fine = len(triage.participants) - len(troubled)
    if more:
        counts = {s: sum(1 for p in more if p.overall == s) for s in ("poor", "fair", "unknown")}
        shown = " · ".join(f"{STATUS_EMOJI[s]} {n}" for s, n in counts.items() if n)  # type: ignore[index]
        notes.append(f"{len(more)} more with problems ({shown}), not listed here.")
    if fine:
        notes.append(
            f"{fine} other{'s' if fine != 1 else ''} {'were' if fine != 1 else 'was'} fine."
        )
    failed = [s for s in triage.skipped if not s.reason.startswith("not fetched")]
    if failed:
        names = "; ".join(
            f"`{code(s.peer_id)}`: {escape_mrkdwn(clip(one_line(s.reason), 160))}"
            for s in failed[:SKIPPED_SHOWN]
        )
        extra = f" (+{len(failed) - SKIPPED_SHOWN} more)" if len(failed) > SKIPPED_SHOWN else ""
        plural = "s" if len(failed) != 1 else ""
        notes.append(f"⚠️ {len(failed)} report{plural} could not be fetched: {names}{extra}")
    if triage.not_fetched:
        notes.append(
            f"ℹ️ {triage.not_fetched} participant{'s' if triage.not_fetched != 1 else ''} "
            f"{escape_mrkdwn(triage.not_fetched_reason or 'not fetched')}."
        )
    return [clip(n, 3000) for n in notes]


def _worst(triage: Triage) -> Status:
    for status in ("poor", "fair"):
        if any(p.overall == status for p in triage.participants):
            return status
    if triage.participants and all(p.overall == "good" for p in triage.participants):
        return "good"
    return "unknown"


def _fallback(triage: Triage) -> str:
    title = one_line(triage.info.meeting_title)
    text = f"Whole call {title}: {counts_line(triage)}"
    if triage.blame:
        text += f" — {one_line(triage.blame[0].evidence)}"
    text = escape_mrkdwn(text)
    if len(text) <= FALLBACK_CHARS:
        return text
    cut = text[: FALLBACK_CHARS - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:—") + "…"


def render_session_blocks(triage: Triage, *, fetched_at: datetime | None = None) -> dict[str, Any]:
    """The session card as the ``chat.postMessage`` payload ``{"text", "blocks"}``."""
    info = triage.info
    emoji = STATUS_EMOJI[_worst(triage)]
    budget = MAX_HEADER_TEXT - len(emoji) - 1 - len(HEADER_SUFFIX)
    moment = (fetched_at or datetime.now(UTC)).astimezone(UTC)
    footer = (
        f"Session `{code(info.session_id)}` · app `{code(info.app_id)}` · "
        f"updated {moment.strftime('%Y-%m-%d %H:%M')} UTC"
    )
    payload = render_template(
        "session.json.j2",
        fallback=_fallback(triage),
        header=f"{emoji} {plain(info.meeting_title, budget)}{HEADER_SUFFIX}",
        when=[clip(w, 300) for w in _when(triage)],
        counts=counts_line(triage),
        blame=_blame_text(triage),
        peers=_peer_rows(triage),
        notes=_notes(triage),
        open_peer=OPEN_PEER,
        footer=footer,
    )
    return enforce_message(payload)


def render_session_text(triage: Triage) -> str:
    """The same answer for a terminal: every participant, every blame, every skip."""
    info = triage.info
    lines = [f"{one_line(info.meeting_title)} — whole call"]
    when = [w.replace("*", "") for w in _when(triage)]
    lines.append(" · ".join(when))
    lines.append(f"Session {info.session_id} · app {info.app_id}")
    lines.append("")
    lines.append(counts_line(triage))
    lines.append("")
    lines.append("Whose connection:")
    if triage.blame:
        for blame in triage.blame:
            lines.append(f"  • {one_line(blame.evidence)}")
            lines.append(f"    Next: {one_line(next_step(blame))}")
    else:
        lines.append("  nobody's connection explains what others suffered.")
    lines.append("")
    lines.append("Participants (worst first):")
    for peer in triage.participants:
        lines.append(
            f"  {STATUS_EMOJI[peer.overall]} {one_line(peer.display_name)} ({peer.peer_id})"
            f" — {named(triage, peer.headline)}"
        )
    failed = [s for s in triage.skipped if not s.reason.startswith("not fetched")]
    if failed:
        lines.append("")
        lines.append("Could not be fetched:")
        lines.extend(f"  {s.peer_id}: {one_line(s.reason)}" for s in failed)
    if triage.not_fetched:
        lines.append("")
        lines.append(f"{triage.not_fetched} participants {triage.not_fetched_reason}.")
    return "\n".join(lines) + "\n"


def render_session_progress(ref: SessionRef, done: int, total: int) -> dict[str, Any]:
    """The ephemeral "Fetching…" note with progress (``9 of 14 reports``)."""
    text = (
        f":hourglass_flowing_sand: Triaging session `{ref.session_id}`: "
        f"{done} of {total} report{'s' if total != 1 else ''}…"
    )
    return {
        "text": text,
        "blocks": [{"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}],
    }


def render_session_fetching(ref: SessionRef) -> dict[str, Any]:
    """The note sent with the ack, before the participant list is known."""
    text = f":hourglass_flowing_sand: Triaging session `{ref.session_id}`: reading participants…"
    return {
        "response_type": "ephemeral",
        "text": text,
        "blocks": [{"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}],
    }


def render_session_done(triage: Triage) -> dict[str, Any]:
    """The confirmation that replaces the progress note."""
    n = len(triage.participants)
    text = (
        f":white_check_mark: Posted the whole-call card for "
        f"{inline(clip(triage.info.meeting_title, 100))} ({n} report{'s' if n != 1 else ''})."
    )
    return {"text": text}
