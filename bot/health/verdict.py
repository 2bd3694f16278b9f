"""The overall verdict, its one-sentence ``headline`` and ``next_step`` (pure).

``overall`` is ``poor`` or ``fair`` when any area is; ``good`` only when all three areas are
known and good; otherwise ``unknown`` — never green on missing data. The headline names the
cause (the most severe finding, a direct cause such as a denied permission before a symptom
such as loss), or why the call is healthy, or which data is missing.
"""

from __future__ import annotations

import re
from typing import Final

from bot.health.model import (
    AREA_NAMES,
    SEVERITY_RANK,
    STATUS_RANK,
    Area,
    AreaName,
    Finding,
    Status,
)
from bot.health.values import fmt_ms, fmt_pct

WHOLE_CALL: Final = (
    "Nothing to fix on this side; if they still had trouble, check the other participants — "
    "Whole call."
)
_HEADLINE_MAX: Final = 220
_SENTENCE_END: Final = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)\.\s")
#: Among findings of equal severity, causes the participant can act on come first.
_AREA_ORDER: Final[dict[AreaName, int]] = {"device": 0, "network": 1, "quality": 2}
_MISSING: Final[dict[AreaName, str]] = {
    "device": "device",
    "network": "network path",
    "quality": "media quality",
}


def overall_status(areas: dict[AreaName, Area]) -> Status:
    statuses = [areas[name].status for name in AREA_NAMES if name in areas]
    bad = [s for s in statuses if s in ("fair", "poor")]
    if bad:
        return max(bad, key=lambda s: STATUS_RANK[s])
    if len(statuses) == len(AREA_NAMES) and all(s == "good" for s in statuses):
        return "good"
    return "unknown"


def top_finding(areas: dict[AreaName, Area]) -> tuple[AreaName, Finding] | None:
    """The most severe warning/critical finding; direct causes before symptoms."""
    ranked = [
        (-SEVERITY_RANK[f.severity], _AREA_ORDER[name], index, name, f)
        for name, area in areas.items()
        for index, f in enumerate(area.findings)
        if f.severity != "info"
    ]
    if not ranked:
        return None
    *_, name, finding = min(ranked, key=lambda r: r[:3])
    return name, finding


def first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence (not the one in "e.g." or "i.e.")."""
    match = _SENTENCE_END.search(text)
    sentence = text if match is None else text[: match.start() + 1]
    if len(sentence) > _HEADLINE_MAX:
        sentence = sentence[: _HEADLINE_MAX - 1].rsplit(" ", 1)[0] + "…"
    return sentence if sentence.endswith((".", "…", ")")) else sentence + "."


def headline_and_next_step(areas: dict[AreaName, Area], overall: Status) -> tuple[str, str]:
    if overall in ("fair", "poor"):
        top = top_finding(areas)
        if top is None:  # a bad area without a finding: say so rather than invent a cause
            name = max(areas, key=lambda n: STATUS_RANK[areas[n].status])
            return (
                first_sentence(areas[name].summary),
                f"Open the {name} details for the evidence.",
            )
        name, finding = top
        others = sum(
            1
            for area in areas.values()
            for f in area.findings
            if f.severity != "info" and f is not finding
        )
        head = first_sentence(finding.message)
        if others:
            more = f" ({others} more finding{'s' if others != 1 else ''} below)"
            head = head[:-1] + more + "." if head.endswith(".") else head + more
        step = finding.action or f"Open the {name} details for the evidence."
        return head, step
    if overall == "good":
        return _healthy(areas), WHOLE_CALL
    return _missing(areas)


def _healthy(areas: dict[AreaName, Area]) -> str:
    bits: list[str] = []
    quality = areas["quality"].metrics
    network = areas["network"].metrics
    loss = quality.get("loss_avg_pct")
    if isinstance(loss, int | float) and not isinstance(loss, bool):
        bits.append(f"loss {fmt_pct(float(loss))}")
    rtt = quality.get("rtt_avg_ms", network.get("rtt_avg_ms"))
    if isinstance(rtt, int | float) and not isinstance(rtt, bool):
        bits.append(f"RTT {fmt_ms(float(rtt))}")
    path = network.get("path")
    if isinstance(path, str) and path != "unknown":
        bits.append(path.replace("-", " ").replace("udp", "UDP").replace("tcp", "TCP"))
    measured = f" ({', '.join(bits)})" if bits else ""
    return f"Healthy: device, network and media quality were measured and look fine{measured}."


def _missing(areas: dict[AreaName, Area]) -> tuple[str, str]:
    unknown = [name for name in AREA_NAMES if areas[name].status == "unknown"]
    names = [_MISSING[n] for n in unknown]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    seen = [
        f for name in unknown for f in areas[name].findings if f.code not in ("network.location",)
    ]
    only = (
        f"; the only evidence: {_lower_first(first_sentence(seen[0].message)[:-1])}" if seen else ""
    )
    verb = "was" if len(names) == 1 else "were"
    head = f"Not enough data to judge: {listed} {verb} not measured in this report{only}."
    viewer = any(f.code == "quality.livestream_viewer" for f in areas["quality"].findings)
    if viewer:
        step = (
            "This is a livestream viewer (no WebRTC stats by design): ask what they saw, and "
            "check the host's report — Whole call."
        )
    elif "quality" in unknown:
        step = (
            "Fetch the full report (no filter, with quality stats); if it is still empty the "
            "participant sent and received no media — check the other participants — Whole call."
        )
    else:
        step = (
            "Judge from the areas that were measured, and check the other participants — "
            "Whole call."
        )
    return head, step


def _lower_first(text: str) -> str:
    """``The quality …`` -> ``the quality …``; acronyms (``ICE …``) stay."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text
