from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.render.escape import escape_mrkdwn
from bot.render.limits import (
    MAX_BUTTON_TEXT,
    MAX_MESSAGE_BLOCKS,
    MAX_VIEW_BLOCKS,
    clip,
    enforce_message,
    enforce_view,
)
from tests.render.helpers import check


def _section(text: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def test_clip_leaves_short_text_alone() -> None:
    assert clip("hello", 5) == "hello"
    assert clip("hello!", 5) == "hell…"


@pytest.mark.parametrize("limit", range(1, 40))
def test_clip_never_splits_an_entity(limit: int) -> None:
    text = escape_mrkdwn("a&b<c>d & e" * 3)
    out = clip(text, limit)
    assert len(out) <= limit
    assert not re.search(r"&(?!amp;|lt;|gt;)", out)


def test_clip_never_splits_a_link_the_bot_made() -> None:
    text = "see <https://example.com/a/b|the dashboard page> now"
    for limit in range(5, len(text)):
        out = clip(text, limit)
        assert len(out) <= limit
        assert out.count("<") == out.count(">")


@given(st.text(max_size=300), st.integers(min_value=1, max_value=300))
def test_clip_property(text: str, limit: int) -> None:
    escaped = escape_mrkdwn(text)
    out = clip(escaped, limit)
    assert len(out) <= max(limit, 1)
    assert not re.search(r"&(?!amp;|lt;|gt;)", out)
    if len(escaped) <= limit:
        assert out == escaped


def test_enforce_message_caps_blocks_and_says_how_many_more() -> None:
    payload = {"text": "x", "blocks": [_section(f"row {i}") for i in range(120)]}
    out = enforce_message(payload, where="see the thread")
    assert len(out["blocks"]) == MAX_MESSAGE_BLOCKS
    last = out["blocks"][-1]
    assert last["type"] == "context"
    assert last["elements"][0]["text"] == f"…and {120 - 49} more (see the thread)."
    assert check(out) == []


def test_enforce_view_caps_at_100() -> None:
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "A title far longer than twenty-four"},
        "blocks": [_section(f"row {i}") for i in range(250)],
    }
    out = enforce_view(view)
    assert len(out["blocks"]) == MAX_VIEW_BLOCKS
    assert "…and 151 more" in out["blocks"][-1]["elements"][0]["text"]
    assert len(out["title"]["text"]) <= 24
    assert check(out) == []


def test_enforce_message_fits_texts_fields_and_ids() -> None:
    payload: dict[str, Any] = {
        "text": "t" * 5000,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "h" * 400}},
            _section("&amp;" * 1000, "same"),
            _section("ok", "same"),
            {
                "type": "section",
                "block_id": "x" * 400,
                "fields": [{"type": "mrkdwn", "text": "f" * 2500} for _ in range(14)],
            },
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"} for _ in range(15)]},
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": f"a{i}",
                        "text": {"type": "plain_text", "text": "b" * 100},
                        "value": "v",
                    }
                    for i in range(30)
                ],
            },
        ],
    }
    out = enforce_message(payload)
    ids = [b["block_id"] for b in out["blocks"] if "block_id" in b]
    assert len(ids) == len(set(ids))
    assert all(len(i) <= 255 for i in ids)
    assert out["blocks"][1]["text"]["text"].endswith("&amp;…")
    assert len(out["blocks"][3]["fields"]) == 10
    assert len(out["blocks"][4]["elements"]) == 10
    buttons = out["blocks"][5]["elements"]
    assert len(buttons) == 25
    assert all(len(b["text"]["text"]) <= MAX_BUTTON_TEXT for b in buttons)
    assert len(out["text"]) <= 3000
    assert check(out) == []


def test_an_oversized_button_value_is_a_bug_not_data() -> None:
    button = {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "b"}}
    payload = {"blocks": [{"type": "actions", "elements": [{**button, "value": "v" * 2001}]}]}
    with pytest.raises(ValueError, match="button value"):
        enforce_message(payload)
