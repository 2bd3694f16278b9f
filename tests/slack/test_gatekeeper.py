"""Which requests the access middleware guards (the refusals themselves are tested end to end
in test_slack_connect, test_interactions and tests/security)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.identifiers import ActionId
from bot.slack.listeners.gatekeeper import surface


def click(action_id: str) -> dict[str, Any]:
    return {"type": "block_actions", "actions": [{"action_id": action_id}]}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"command": "/peer-report", "text": "help"}, "/peer-report"),
        ({"type": "message_action", "callback_id": "peer_report_message"}, "shortcut"),
        ({"type": "shortcut", "callback_id": "peer_report_global"}, "global shortcut"),
        (click(ActionId.REFRESH), "button"),
        (click(ActionId.OPEN_PEER), "button"),
        (click(ActionId.SESSION), "button"),
        (click(ActionId.LINK), None),  # a plain link button: nothing to guard
        (click(ActionId.CONNECT), None),  # admins only, checked by its own listener
        (
            {"type": "view_submission", "view": {"callback_id": "peer_report_lookup"}},
            "lookup modal",
        ),
        ({"type": "view_submission", "view": {"callback_id": "peer_report_connect"}}, None),
        ({"type": "event_callback", "event": {"type": "link_shared"}}, "unfurl"),
        ({"type": "event_callback", "event": {"type": "app_home_opened"}}, None),
        ({"type": "url_verification", "challenge": "x"}, None),
    ],
)
def test_the_guarded_surfaces(body: dict[str, Any], expected: str | None) -> None:
    assert surface(body) == expected
