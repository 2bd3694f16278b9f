from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.render import actions
from bot.render.actions import decode_value, encode_value
from tests.render.helpers import APP, PEER


def test_ids_are_the_documented_ones() -> None:
    card = {action_id for action_id, _ in actions.CARD_BUTTONS}
    assert card == {
        f"peer_report.{v}"
        for v in ("events", "pairs", "quality", "device", "raw", "refresh", "chart", "session")
    }
    assert actions.LOOKUP_MODAL == "peer_report_lookup"
    assert actions.MESSAGE_SHORTCUT == "peer_report_message"
    assert actions.GLOBAL_SHORTCUT == "peer_report_global"


def test_round_trip() -> None:
    value = encode_value(APP, PEER)
    assert json.loads(value) == {"a": APP, "p": PEER}
    decoded = decode_value(value)
    assert (decoded.app_id, decoded.peer_id, dict(decoded.extra)) == (APP, PEER, {})
    paged = decode_value(encode_value(APP, PEER, pg=3))
    assert paged.extra["pg"] == "3"
    short_app = "0123456789abcdef0123456789abcdef"
    assert decode_value(encode_value(short_app, PEER)).app_id == short_app


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not json",
        "[]",
        json.dumps({"a": APP}),
        json.dumps({"p": PEER}),
        json.dumps({"a": APP.upper(), "p": PEER}),
        json.dumps({"a": APP, "p": PEER[:-6]}),
        json.dumps({"a": APP, "p": "g" * 36}),
        json.dumps({"a": APP, "p": "-" * 36}),
        json.dumps({"a": APP, "p": "../../etc/passwd"}),
        json.dumps({"a": APP, "p": PEER + "x"}),
        json.dumps({"a": APP, "p": 12}),
        json.dumps({"a": APP, "p": PEER, "token": "x"}),
        json.dumps({"a": APP, "p": PEER, "pg": "<!channel>"}),
        json.dumps({"a": APP, "p": PEER, "pg": {"x": 1}}),
        json.dumps({"a": APP, "p": PEER, "pg": "x" * 3000}),
    ],
)
def test_tampered_values_are_rejected(value: str) -> None:
    with pytest.raises(ValueError):
        decode_value(value)


@given(st.text(max_size=200))
def test_decode_never_trusts_arbitrary_input(value: str) -> None:
    try:
        decoded = decode_value(value)
    except ValueError:
        return
    assert len(decoded.app_id) in range(32, 37) and len(decoded.peer_id) in range(32, 37)
