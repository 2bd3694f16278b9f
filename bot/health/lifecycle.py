"""Connection lifecycle: reconnects and ICE restarts, with when they happened (pure).

Sources: ``peer_events`` (every ``PEER_JOINING`` after the first is a re-join of the same
peer, i.e. a reconnect) and ``peer_report.metadata.events`` (names mentioning reconnect /
disconnect / failed connections, and ICE restarts). Events closer than 30 s describe one
interruption, and an ICE restart within 30 s of a reconnect is part of that reconnect (the SDK
restarts ICE while reconnecting): one incident, one finding. The findings belong to the
network area.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.health import codes as C
from bot.health import event_thresholds as E
from bot.health import thresholds as T
from bot.health.findings import Findings
from bot.health.timeline import TimestampCache
from bot.health.values import clock
from bot.realtimekit.models import Participant
from bot.timeutil import fmt_offset


@dataclass(slots=True)
class Lifecycle:
    findings: Findings = field(default_factory=Findings)
    reconnects: int = 0
    ice_restarts: int = 0
    has_events: bool = False

    @property
    def troubled(self) -> bool:
        return self.reconnects > 0 or self.ice_restarts > 0


def _normal(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _is_interruption(name: str) -> bool:
    n = _normal(name)
    if "icerestart" in n:
        return False
    return (
        "reconnect" in n
        or "disconnect" in n
        or ("fail" in n and ("ice" in n or "connection" in n or "transport" in n or "peer" in n))
    )


def assess_lifecycle(participant: Participant, times: TimestampCache) -> Lifecycle:
    out = Lifecycle()
    start = times.epoch(participant.joined_at) or times.epoch(participant.created_at)
    interruptions: list[float | None] = []
    restarts: list[float | None] = []

    events = participant.peer_events or []
    joins: list[tuple[float, int, float | None]] = []
    for index, event in enumerate(events):
        out.has_events = True
        if (event.event_name or "").upper() == "PEER_JOINING":
            t = times.epoch(event.created_at)
            joins.append((t if t is not None else float("inf"), index, t))
    joins.sort()
    interruptions.extend(t for _, _, t in joins[1:])

    metadata = participant.peer_report.metadata if participant.peer_report else None
    for report_event in (metadata.events if metadata else None) or []:
        out.has_events = True
        name = report_event.name or ""
        t = times.epoch(report_event.timestamp)
        if "icerestart" in _normal(name):
            restarts.append(t)
        elif _is_interruption(name):
            interruptions.append(t)

    own = _not_part_of(restarts, interruptions)
    merged = len(restarts) - len(own)
    restarts = own
    with_restart = " (the ICE restart during it is part of the same incident)" if merged else ""
    out.reconnects = _report(
        out.findings,
        C.NETWORK_RECONNECTS,
        "reconnect",
        interruptions,
        start,
        f"each one drops audio and video for a few seconds{with_restart}",
    )
    out.ice_restarts = _report(
        out.findings,
        C.NETWORK_ICE_RESTARTS,
        "ICE restart",
        restarts,
        start,
        "the browser had to renegotiate its network path",
    )
    out.findings.metric("reconnects", out.reconnects)
    out.findings.metric("ice_restarts", out.ice_restarts)
    return out


def _not_part_of(
    restarts: list[float | None], interruptions: list[float | None]
) -> list[float | None]:
    """ICE restarts that are not part of a reconnect (none within the merge window of one)."""
    timed = [t for t in interruptions if t is not None]
    untimed = sum(1 for t in interruptions if t is None)
    out: list[float | None] = []
    for t in restarts:
        if t is None:
            if untimed or (timed and not any(r is not None for r in restarts)):
                untimed = max(0, untimed - 1)
                continue
            out.append(t)
        elif not any(abs(t - r) <= E.INCIDENT_MERGE_S for r in timed):
            out.append(t)
    return out


def _dedup(stamps: list[float | None]) -> tuple[list[float], int]:
    timed = sorted(t for t in stamps if t is not None)
    kept: list[float] = []
    for t in timed:
        if not kept or t - kept[-1] > T.RECONNECT_DEDUP_S:
            kept.append(t)
    return kept, sum(1 for t in stamps if t is None)


def _densest(stamps: list[float]) -> tuple[int, float, float]:
    """Most events inside any 10-minute window: (count, first, last)."""
    best = (0, 0.0, 0.0)
    lo = 0
    for hi, t in enumerate(stamps):
        while t - stamps[lo] > T.RECONNECT_WINDOW_S:
            lo += 1
        if hi - lo + 1 > best[0]:
            best = (hi - lo + 1, stamps[lo], t)
    return best


def _report(
    found: Findings,
    code: str,
    noun: str,
    stamps: list[float | None],
    start: float | None,
    effect: str,
) -> int:
    timed, untimed = _dedup(stamps)
    total = len(timed) + untimed
    if total == 0:
        return 0
    plural = f"{noun}s" if total != 1 else noun
    dense, first, last = _densest(timed)
    where = ""
    if timed:
        shown = ", ".join(_at(t, start) for t in timed[:5])
        more = f" and {len(timed) - 5} more" if len(timed) > 5 else ""
        where = f" at {shown}{more}"
    if dense > T.RECONNECTS_POOR:
        found.add(
            "critical",
            code,
            f"{dense} {noun}s within 10 minutes"
            + (
                f" ({clock(first)}–{clock(last)} UTC), {total} in the whole call"
                if total > dense
                else ""
            )
            + f"{where} — {effect}; the connection was unstable.",
            f"{dense} {noun}s in 10 minutes",
        )
    elif total > T.RECONNECTS_FAIR_TOTAL:
        found.add(
            "warning",
            code,
            f"{total} {plural} during the call{where} — {effect}.",
            f"{total} {plural}",
        )
    else:
        found.add("info", code, f"{total} {plural} during the call{where} — {effect}.")
    return total


def _at(t: float, start: float | None) -> str:
    text = f"{clock(t)} UTC"
    if start is not None and t >= start:
        text += f" ({fmt_offset(t - start)})"
    return text
