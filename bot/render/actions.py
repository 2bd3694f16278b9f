"""Every Slack identifier the bot uses: commands, callback_ids, action_ids, block_ids.

Templates receive these as values and listeners register with them: no ID is spelled twice.
Button ``value``s carry only an app and a peer (plus small view state) as compact JSON, and
are re-validated when they come back: the client is never trusted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

COMMAND: Final = "/peer-report"
MESSAGE_SHORTCUT: Final = "peer_report_message"
GLOBAL_SHORTCUT: Final = "peer_report_global"

EVENTS: Final = "peer_report.events"
PAIRS: Final = "peer_report.pairs"
QUALITY: Final = "peer_report.quality"
DEVICE: Final = "peer_report.device"
RAW: Final = "peer_report.raw"
REFRESH: Final = "peer_report.refresh"
CHART: Final = "peer_report.chart"
SESSION: Final = "peer_report.session"
OPEN_PEER: Final = "peer_report.open_peer"
PAGE_PREV: Final = "peer_report.page_prev"
PAGE_NEXT: Final = "peer_report.page_next"
REVEAL_IP: Final = "peer_report.reveal_ip"
LINK: Final = "peer_report.link"
REOPEN: Final = "peer_report.reopen"
CONNECT: Final = "peer_report.connect"

LOOKUP_MODAL: Final = "peer_report_lookup"
LOOKUP_APP_BLOCK: Final = "lookup_app"
LOOKUP_PEER_BLOCK: Final = "lookup_peer"

CONNECT_MODAL: Final = "peer_report_connect"
CONNECT_ACCOUNT_BLOCK: Final = "connect_account"
CONNECT_TOKEN_BLOCK: Final = "connect_token"  # noqa: S105 - a block_id, not a secret
CONNECT_APP_BLOCK: Final = "connect_app"

#: The card's drill-downs (private modals), in their default order: (action_id, label).
DRILLDOWN_BUTTONS: Final = (
    (EVENTS, "Events"),
    (PAIRS, "Candidate pairs"),
    (QUALITY, "Quality"),
    (DEVICE, "Device & IP"),
)
#: Buttons that post into the shared thread say so on their label.
CHART_LABEL: Final = "Post chart to thread"
RAW_LABEL: Final = "Post raw JSON to thread"
#: Every button a card can carry: (action_id, label).
CARD_BUTTONS: Final = (
    *DRILLDOWN_BUTTONS,
    (REFRESH, "Refresh"),
    (SESSION, "Whole call"),
    (CHART, CHART_LABEL),
    (RAW, RAW_LABEL),
)
#: The drill-down that holds the evidence of each area (styled primary when it is the worst).
AREA_BUTTON: Final = {"device": DEVICE, "network": PAIRS, "quality": QUALITY}
#: "Open …'s card" buttons for implicated peers, at most.
MAX_IMPLICATED: Final = 2
_SESSION_ID = re.compile(r"^[0-9a-fA-F-]{36}$")

_ID = re.compile(r"^[0-9a-f][0-9a-f-]{30,34}[0-9a-f]$")
_EXTRA_KEY = re.compile(r"^[a-z]{1,3}$")
_EXTRA_VALUE = re.compile(r"^[A-Za-z0-9_.-]{0,40}$")


def card_buttons(
    app_id: str,
    peer_id: str,
    *,
    primary: str | None,
    session_id: str | None,
    can_post: bool,
    has_chart_data: bool,
    implicated: Sequence[str] = (),
) -> list[dict[str, str]]:
    """The card's buttons: the worst area's drill-down first and primary, then the other
    drill-downs, Refresh, Whole call, and the two that post into the thread.

    Findings that implicate other peers (``implicated``, e.g. the sender whose media arrived
    lossy) get an "Open …'s card" button each (at most :data:`MAX_IMPLICATED`), which posts
    that peer's card in the thread.
    A button that could not work where the card stands is left out: no session → no Whole
    call; no channel (App Home) → no posting buttons; no quality samples → no chart.
    ``style`` is ``"primary"`` or ``""`` (none).
    """
    value = encode_value(app_id, peer_id)
    first = AREA_BUTTON.get(primary or "")
    order = sorted(DRILLDOWN_BUTTONS, key=lambda b: b[0] != first)
    buttons = [
        {"action_id": a, "label": label, "value": value, "style": "primary" if a == first else ""}
        for a, label in order
    ]
    for other in list(dict.fromkeys(p for p in implicated if _ID.match(p) and p != peer_id))[
        :MAX_IMPLICATED
    ]:
        buttons.append(
            {
                "action_id": OPEN_PEER,
                "label": f"Open {other[:8]}…'s card",
                "value": encode_value(app_id, other),
                "style": "",
            }
        )
    buttons.append({"action_id": REFRESH, "label": "Refresh", "value": value, "style": ""})
    if session_id and _SESSION_ID.match(session_id):
        session_value = encode_value(app_id, peer_id, s=session_id.lower())
        buttons.append(
            {"action_id": SESSION, "label": "Whole call", "value": session_value, "style": ""}
        )
    if can_post and has_chart_data:
        buttons.append({"action_id": CHART, "label": CHART_LABEL, "value": value, "style": ""})
    if can_post:
        buttons.append({"action_id": RAW, "label": RAW_LABEL, "value": value, "style": ""})
    return buttons


@dataclass(frozen=True)
class ButtonValue:
    app_id: str
    peer_id: str
    extra: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))


def encode_value(app_id: str, peer_id: str, **extra: str | int) -> str:
    """``{"a": app, "p": peer, ...}`` as compact JSON (well under the 2000-char limit)."""
    data: dict[str, Any] = {"a": app_id, "p": peer_id}
    data.update({k: str(v) for k, v in extra.items()})
    return json.dumps(data, separators=(",", ":"))


def decode_value(value: str) -> ButtonValue:
    """Strictly parse a button value; ValueError for anything we did not produce."""
    if len(value) > 2000:
        raise ValueError("button value too long")
    try:
        data = json.loads(value)
    except json.JSONDecodeError:
        raise ValueError("button value is not JSON") from None
    if not isinstance(data, dict):
        raise ValueError("button value is not an object")
    app_id, peer_id = data.pop("a", None), data.pop("p", None)
    for name, item in (("app", app_id), ("peer", peer_id)):
        if not isinstance(item, str) or not _ID.match(item):
            raise ValueError(f"button value has no valid {name} ID")
    extra: dict[str, str] = {}
    for key, item in data.items():
        if not (
            isinstance(key, str) and _EXTRA_KEY.match(key) and isinstance(item, str | int)
        ) or not _EXTRA_VALUE.match(str(item)):
            raise ValueError("button value has unexpected fields")
        extra[key] = str(item)
    assert isinstance(app_id, str) and isinstance(peer_id, str)
    return ButtonValue(app_id, peer_id, MappingProxyType(extra))
