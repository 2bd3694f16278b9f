"""The Slack identifiers are spelled once (bot.identifiers) and every list derives from them."""

from __future__ import annotations

import json

from bot.identifiers import SECTION_ACTIONS, ActionId, BlockId, CallbackId, Section
from bot.ids import SECTIONS, parse_refs
from bot.render import actions
from bot.render.forms import render_help
from bot.render.sections import TITLES

APP = "14a396e7-ca44-4937-bf1f-050a69118543"
PEER = "79d87ca5-7e47-452a-b3c1-b6842ad84bf5"


def test_every_identifier_is_unique_and_serialises_as_its_value() -> None:
    values = [m.value for enum in (ActionId, CallbackId, BlockId) for m in enum]
    assert len(values) == len(set(values))
    assert json.loads(json.dumps({"a": ActionId.REFRESH})) == {"a": "peer_report.refresh"}


def test_section_lists_derive_from_the_enum() -> None:
    words = [s.value for s in Section]
    assert list(SECTIONS) == words
    assert list(TITLES) == words
    help_text = json.dumps(render_help({}, APP))
    for word in words:
        assert f"`{word}`" in help_text
        assert parse_refs(f"{APP} {PEER} {word}", default_app=None, aliases={}).section == word


def test_the_old_constant_names_are_aliases_of_the_enum_members() -> None:
    assert actions.REFRESH is ActionId.REFRESH
    assert actions.LOOKUP_MODAL is CallbackId.LOOKUP_MODAL
    assert actions.LOOKUP_PEER_BLOCK is BlockId.LOOKUP_PEER
    assert [a for a, _ in actions.DRILLDOWN_BUTTONS] == list(SECTION_ACTIONS)
