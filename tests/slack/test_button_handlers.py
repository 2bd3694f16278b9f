"""The button handlers are module-level functions: called directly with a fake ``respond``.

No server, no Bolt: the demo source answers with the bundled samples, and a client that
fails on any call proves the handler said its piece through ``respond`` instead.
"""

from __future__ import annotations

import json
from typing import Any

from bot.config import Settings
from bot.ids import PeerRef
from bot.slack.listeners import actions
from bot.slack.server import build_services

APP = "14a396e7-ca44-4937-bf1f-050a69118543"
SPARSE = "e6f8a0b2-4d5e-4f70-8b1c-c3d4e5f6a7b8"  # the sparse demo's participant id


class Recorder:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    async def __call__(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)


class NoSlack:
    """Any Web API call is a failure of the test: these handlers must answer via respond."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"unexpected Slack call {name}")


def _click(channel: str | None) -> actions.Click:
    return actions.Click(
        ref=PeerRef(app_id=APP, peer_id=SPARSE),
        extra={},
        channel=channel,
        ts="1.0",
        thread_ts="1.0",
        ephemeral=False,
        view_id=None,
        user_id="U1",
        trigger_id=None,
    )


def _services() -> Any:
    return build_services(Settings(_env_file=None, slack_signing_secret="x"), demo=True)


async def test_chart_without_samples_answers_through_respond() -> None:
    respond = Recorder()
    await actions.on_chart(_services(), _click("C1"), respond, NoSlack())  # type: ignore[arg-type]
    (call,) = respond.calls
    assert call["response_type"] == "ephemeral"
    assert "nothing to chart" in json.dumps(call)


async def test_raw_without_a_conversation_says_so() -> None:
    respond = Recorder()
    await actions.on_raw(_services(), _click(None), respond, NoSlack())  # type: ignore[arg-type]
    (call,) = respond.calls
    assert "no conversation to post into" in json.dumps(call)


def test_bound_listeners_show_bolt_only_the_slack_arguments() -> None:
    """Bolt injects by the names it reads from the unwrapped listener: never ``services``."""
    from slack_bolt.util.utils import get_arg_names_of_callable

    from bot.slack.lazy import bound, guarded
    from bot.slack.listeners import commands, shortcuts

    for listener in (shortcuts.on_message_shortcut, commands.run_command, commands.ack_command):
        names = get_arg_names_of_callable(guarded(bound(_services(), listener)))
        assert "services" not in names and names, (listener.__name__, names)
