"""The card's buttons and their values; the Slack identifiers, re-exported.

The identifiers are spelled once, as enums, in :mod:`bot.identifiers`; the constants here
are aliases. Templates receive them as values and listeners register with them.
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

from bot.identifiers import COMMAND as COMMAND
from bot.identifiers import SECTION_ACTIONS, SECTION_TITLES, ActionId, BlockId, CallbackId

# The names below are aliases of the enum members in :mod:`bot.identifiers` (kept so callers
# and tests that import them keep working); new code may use the enums directly.

MESSAGE_SHORTCUT: Final = CallbackId.MESSAGE_SHORTCUT
GLOBAL_SHORTCUT: Final = CallbackId.GLOBAL_SHORTCUT

EVENTS: Final = ActionId.EVENTS
PAIRS: Final = ActionId.PAIRS
QUALITY: Final = ActionId.QUALITY
DEVICE: Final = ActionId.DEVICE
RAW: Final = ActionId.RAW
REFRESH: Final = ActionId.REFRESH
CHART: Final = ActionId.CHART
SESSION: Final = ActionId.SESSION
OPEN_PEER: Final = ActionId.OPEN_PEER
PAGE_PREV: Final = ActionId.PAGE_PREV
PAGE_NEXT: Final = ActionId.PAGE_NEXT
REVEAL_IP: Final = ActionId.REVEAL_IP
LINK: Final = ActionId.LINK
REOPEN: Final = ActionId.REOPEN
CONNECT: Final = ActionId.CONNECT

LOOKUP_MODAL: Final = CallbackId.LOOKUP_MODAL
LOOKUP_APP_BLOCK: Final = BlockId.LOOKUP_APP
LOOKUP_PEER_BLOCK: Final = BlockId.LOOKUP_PEER

CONNECT_MODAL: Final = CallbackId.CONNECT_MODAL
CONNECT_ACCOUNT_BLOCK: Final = BlockId.CONNECT_ACCOUNT
CONNECT_TOKEN_BLOCK: Final = BlockId.CONNECT_TOKEN
CONNECT_APP_BLOCK: Final = BlockId.CONNECT_APP

#: The card's drill-downs (private modals), in their default order: (action_id, label).
DRILLDOWN_BUTTONS: Final = tuple(
    (action, SECTION_TITLES[section]) for action, section in SECTION_ACTIONS.items()
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
