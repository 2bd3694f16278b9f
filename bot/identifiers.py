"""Every Slack identifier and drill-down name, as enums: the one place each is spelled.

Lowest layer (imports nothing from ``bot``): :mod:`bot.ids` takes its section words from
:class:`Section`, :mod:`bot.render` lays the IDs out in templates, and :mod:`bot.slack`
registers listeners with them. Members are ``str``: they serialise to their value in JSON and
compare equal to the plain strings Slack sends back.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

#: The slash command (not an enum: Slack sends it back as ``command``, and there is one).
COMMAND: Final = "/peer-report"


class Section(StrEnum):
    """Drill-down views, in the order help and ``--section`` list them."""

    EVENTS = "events"
    PAIRS = "pairs"
    QUALITY = "quality"
    DEVICE = "device"
    RAW = "raw"


class ActionId(StrEnum):
    """``action_id`` of every button."""

    EVENTS = "peer_report.events"
    PAIRS = "peer_report.pairs"
    QUALITY = "peer_report.quality"
    DEVICE = "peer_report.device"
    RAW = "peer_report.raw"
    REFRESH = "peer_report.refresh"
    CHART = "peer_report.chart"
    SESSION = "peer_report.session"
    OPEN_PEER = "peer_report.open_peer"
    PAGE_PREV = "peer_report.page_prev"
    PAGE_NEXT = "peer_report.page_next"
    REVEAL_IP = "peer_report.reveal_ip"
    LINK = "peer_report.link"
    REOPEN = "peer_report.reopen"
    CONNECT = "peer_report.connect"


class CallbackId(StrEnum):
    """``callback_id`` of shortcuts and modals."""

    MESSAGE_SHORTCUT = "peer_report_message"
    GLOBAL_SHORTCUT = "peer_report_global"
    LOOKUP_MODAL = "peer_report_lookup"
    CONNECT_MODAL = "peer_report_connect"


class BlockId(StrEnum):
    """``block_id`` of the input blocks whose values the listeners read."""

    LOOKUP_APP = "lookup_app"
    LOOKUP_PEER = "lookup_peer"
    CONNECT_ACCOUNT = "connect_account"
    CONNECT_TOKEN = "connect_token"  # noqa: S105 - a block_id, not a secret
    CONNECT_APP = "connect_app"


SECTION_TITLES: Final[dict[Section, str]] = {
    Section.EVENTS: "Events",
    Section.PAIRS: "Candidate pairs",
    Section.QUALITY: "Quality",
    Section.DEVICE: "Device & IP",
    Section.RAW: "Raw report",
}
#: The card's drill-down buttons (private modals) and the view each opens, in default order.
SECTION_ACTIONS: Final[dict[ActionId, Section]] = {
    ActionId.EVENTS: Section.EVENTS,
    ActionId.PAIRS: Section.PAIRS,
    ActionId.QUALITY: Section.QUALITY,
    ActionId.DEVICE: Section.DEVICE,
}
#: Section words as plain strings (argparse choices, command parsing).
SECTION_WORDS: Final[tuple[str, ...]] = tuple(s.value for s in Section)
