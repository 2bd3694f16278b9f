"""Shared helpers for the render tests: the vendored Block Kit checker and small builders."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from bot.health.model import Area, Assessment, Finding, Status
from bot.realtimekit.models import Participant

APP = "14a396e7-ca44-4937-bf1f-050a69118543"
PEER = "79d87ca5-7e47-452a-b3c1-b6842ad84bf5"

_TOOL = Path(__file__).resolve().parents[1] / "_vendor" / "blockkit_check.py"


def _load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("blockkit_check", _TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


blockkit_check = _load_checker()


def check(payload: dict[str, Any]) -> list[str]:
    return list(blockkit_check.check(payload, forbid_broadcast=True))


#: Slack markup that only data could have put there: a mention, a broadcast or a link.
DANGEROUS = re.compile(r"<[!@#]|<https?:|<mailto:", re.IGNORECASE)


def strings(node: Any) -> Iterator[str]:
    """Every string value in a payload (keys excluded)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def mrkdwn_texts(payload: dict[str, Any]) -> list[str]:
    """The top-level ``text`` and every mrkdwn text object: where Slack parses markup."""
    found = [str(payload.get("text", ""))]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(payload.get("blocks"))
    return found


def participant(**fields: Any) -> Participant:
    base: dict[str, Any] = {
        "id": PEER,
        "display_name": "Mallory",
        "session_id": "6bf2b8be-04dd-4191-b602-1128921a306b",
        "custom_participant_id": "cust-1042",
        "joined_at": "2026-11-24T14:00:00Z",
        "left_at": "2026-11-24T14:46:30Z",
        "duration": 46.5,
        "role": "group_call_host",
        "peer_events": [{"event_name": "PEER_JOINING", "preset_view_type": "GROUP_CALL"}],
        "peer_report": {
            "metadata": {
                "sdk_name": "@cloudflare/realtimekit",
                "sdk_version": "2.0.2",
                "ip_information": {
                    "ipv4": "203.0.113.45",
                    "city": "Berlin",
                    "region": "Berlin",
                    "country": "DE",
                    "asn": {"asn": "3320", "name": "Deutsche Telekom AG"},
                },
            }
        },
    }
    base.update(fields)
    return Participant.model_validate(base)


def area(status: Status, summary: str = "", *findings: Finding, **metrics: Any) -> Area:
    return Area(
        status=status,
        summary=summary or f"{status} summary",
        findings=tuple(findings),
        metrics=dict(metrics),
    )


def finding(message: str, severity: str = "warning", code: str = "quality.loss") -> Finding:
    return Finding.model_validate({"severity": severity, "code": code, "message": message})


def assessment(
    overall: Status = "poor",
    *,
    device: Area | None = None,
    network: Area | None = None,
    quality: Area | None = None,
    display_name: str | None = "Mallory",
) -> Assessment:
    return Assessment(
        peer_id=PEER,
        app_id=APP,
        session_id="6bf2b8be-04dd-4191-b602-1128921a306b",
        display_name=display_name,
        overall=overall,
        areas={
            "device": device
            or area(
                "good",
                "macOS 14.5 desktop",
                sdk_name="@cloudflare/realtimekit",
                sdk_version="2.0.2",
            ),
            "network": network or area("fair", "TURN over TCP", finding("RTT 320 ms on TURN/TCP")),
            "quality": quality
            or area(
                "poor",
                "video loss above 10%",
                finding("Sent video lost 12% of packets", "critical"),
                finding("Received audio jitter 60 ms"),
                finding("MOS 3.1 on audio"),
                finding("Frame rate 12 fps"),
                finding("Some info", "info"),
            ),
        },
    )
