"""The terminal summary: the card's content as readable text (ANSI colour only on request)."""

from __future__ import annotations

from bot.health.model import AREA_NAMES, Assessment, Status
from bot.realtimekit.models import Participant
from bot.render.privacy import mask_location
from bot.render.style import AREA_TITLE, STATUS_WORD
from bot.render.summary import display_name
from bot.timeutil import fmt_duration, fmt_stamp, parse_ts

COLOURS: dict[Status, str] = {
    "good": "\x1b[32m",
    "fair": "\x1b[33m",
    "poor": "\x1b[31m",
    "unknown": "\x1b[90m",
}
BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
MARK = {"critical": "!!", "warning": " !", "info": " i"}


def _clean(text: str) -> str:
    """No terminal control sequences from report data."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def not_measured_line(participant: Participant) -> str:
    """``2 numbers were beyond any physical meaning …: MOS avg = inf, …`` (plain text)."""
    count = participant.not_measured_count
    shown = ", ".join(participant.not_measured[:3]) + (", …" if count > 3 else "")
    noun = "number was" if count == 1 else "numbers were"
    return f"{count} {noun} beyond any physical meaning, treated as not measured: {shown}"


def render_text(
    participant: Participant, assessment: Assessment, *, color: bool, show_ip: bool = True
) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if color else text

    def status(value: Status) -> str:
        return paint(STATUS_WORD[value].upper(), BOLD + COLOURS[value])

    lines = [
        paint(f"Peer report: {_clean(display_name(participant))}", BOLD)
        + f"  —  overall {status(assessment.overall)}"
    ]
    facts: list[str] = []
    if participant.id:
        facts.append(f"peer {_clean(participant.id)}")
    if participant.session_id:
        facts.append(f"session {_clean(participant.session_id)}")
    if participant.custom_participant_id:
        facts.append(f"custom id {_clean(participant.custom_participant_id)}")
    joined, left = parse_ts(participant.joined_at), parse_ts(participant.left_at)
    if joined is not None:
        facts.append(f"joined {fmt_stamp(joined)}" + (f", left {left:%H:%M} UTC" if left else ""))
    if participant.duration is not None and participant.duration >= 0:
        facts.append(f"{fmt_duration(participant.duration * 60)} in the call")
    preset = next(
        (e.preset_view_type for e in participant.peer_events or [] if e.preset_view_type), None
    )
    role = " · ".join(
        _clean(r) for r in (participant.role, preset and preset.replace("_", " ").lower()) if r
    )
    if role:
        facts.append(role)
    metrics = assessment.areas["device"].metrics
    sdk = " ".join(str(metrics[k]) for k in ("sdk_name", "sdk_version") if metrics.get(k))
    if sdk:
        facts.append(f"SDK {_clean(sdk)}")
    metadata = participant.peer_report.metadata if participant.peer_report else None
    where = mask_location(metadata.ip_information if metadata else None, show_ip)
    if where:
        facts.append("from " + ", ".join(_clean(v) for v in where.values()))
    if facts:
        lines.append(paint("  " + " · ".join(facts), DIM))
    if participant.not_measured_count:
        lines.append(paint("  " + _clean(not_measured_line(participant)), DIM))
    for name in AREA_NAMES:
        area = assessment.areas[name]
        lines.append("")
        lines.append(
            f"{paint(AREA_TITLE[name], BOLD)}: {status(area.status)} — {_clean(area.summary)}"
        )
        for finding in area.findings:
            mark = MARK[finding.severity]
            colour = {"critical": COLOURS["poor"], "warning": COLOURS["fair"], "info": DIM}
            lines.append(f"  {paint(mark, colour[finding.severity])} {_clean(finding.message)}")
            lines.append(paint(f"     [{finding.code}]", DIM))
    return "\n".join(lines) + "\n"
