"""The pre-call network test, when the report carries one (an undocumented extra field; pure).

Its shape is not pinned by the API document, so it is read defensively: leaf values whose key
mentions RTT/latency, jitter or loss, and connectivity booleans. A pre-call test says how the
network looked before the call: it is context, never by itself proof that the call was fine.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bot.health import codes as C
from bot.health import event_thresholds as E
from bot.health.findings import Findings
from bot.health.values import fmt_ms, fmt_pct, num, rounded
from bot.realtimekit.models import Participant

_KEYS = ("precall_network_information", "precall_network_info", "precall_network")


def _ms(key: str, value: float) -> float | None:
    number = num(value)
    if number is None or number == 0:
        return None  # 0 is "not measured"
    if key.endswith("_ms") or number >= E.PRECALL_SECONDS_CUTOFF:
        return number
    return number * 1000.0


def assess_precall(participant: Participant, found: Findings) -> bool:
    """Add the pre-call test's finding; returns whether the report carried one."""
    blob = _find_precall(participant)
    if blob is None:
        return False
    rtt = jitter = loss = None
    flags: list[str] = []
    for key, value in _walk(blob):
        low = key.lower()
        if isinstance(value, bool):
            if "connectivity" in low or low in ("turn", "relay", "reflexive", "host"):
                flags.append(f"{low.replace('_connectivity', '')} {'ok' if value else 'failed'}")
            continue
        if not isinstance(value, int | float):
            continue
        if "rtt" in low or "latency" in low or "round_trip" in low:
            rtt = rtt if rtt is not None else _ms(low, value)
        elif "jitter" in low:
            jitter = jitter if jitter is not None else _ms(low, value)
        elif "loss" in low:
            number = num(value)
            if number is not None and loss is None:
                loss = min(100.0, number * 100 if "fraction" in low or "ratio" in low else number)
    parts = []
    if rtt is not None:
        parts.append(f"RTT {fmt_ms(rtt)}")
        found.metric("precall_rtt_ms", rounded(rtt, 1))
    if jitter is not None:
        parts.append(f"jitter {fmt_ms(jitter)}")
        found.metric("precall_jitter_ms", rounded(jitter, 1))
    if loss is not None:
        parts.append(f"loss {fmt_pct(loss)}")
        found.metric("precall_loss_pct", rounded(loss))
    parts.extend(flags[:4])
    if not parts:
        found.add("info", C.NETWORK_PRECALL, "A pre-call network test ran (no usable numbers).")
        return True
    bad = (
        (rtt is not None and rtt > E.PRECALL_RTT_POOR_MS)
        or (jitter is not None and jitter > E.PRECALL_JITTER_POOR_MS)
        or (loss is not None and loss > E.PRECALL_LOSS_POOR_PCT)
    )
    if bad:
        found.add(
            "warning",
            C.NETWORK_PRECALL_POOR,
            f"The pre-call network test already looked poor ({', '.join(parts)}): the network "
            "was the problem before the call started.",
            "pre-call test poor",
        )
    else:
        found.add("info", C.NETWORK_PRECALL, f"Pre-call network test: {', '.join(parts)}.")
    return True


def _find_precall(participant: Participant) -> Any:
    report = participant.peer_report
    holders = [
        participant.model_extra,
        report.model_extra if report else None,
        report.metadata.model_extra if report and report.metadata else None,
    ]
    for extra in holders:
        if not extra:
            continue
        for key in _KEYS:
            value = extra.get(key)
            if isinstance(value, Mapping | list) and value:
                return value
    return None


def _walk(blob: Any, prefix: str = "", depth: int = 0) -> Iterator[tuple[str, Any]]:
    """Leaf ``(key, value)`` pairs of a small nested structure (bounded depth and size)."""
    if depth > 3:
        return
    if isinstance(blob, Mapping):
        for index, (key, value) in enumerate(blob.items()):
            if index > 50:
                return
            name = f"{prefix}_{key}" if prefix else str(key)
            if isinstance(value, Mapping | list):
                yield from _walk(value, name, depth + 1)
            else:
                yield name, value
    elif isinstance(blob, list):
        for item in blob[:10]:
            yield from _walk(item, prefix, depth + 1)


# --- location (context only) ------------------------------------------------------------------
