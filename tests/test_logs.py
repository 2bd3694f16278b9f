"""Log format: text by default, JSON lines with PEER_REPORT_LOG_FORMAT=json, IDs only."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest

from bot import logs
from bot.config import Settings
from tests.slack.conftest import Bot, fake_cloudflare, fake_slack, wait_until  # noqa: F401 - fixtures make_bot uses
from tests.slack.conftest import make_bot as _make_bot  # noqa: F401 - fixture, see captured
from tests.slack.fakes import APP

UNKNOWN_PEER = "0b5e7c1d-2f3a-4b5c-8d6e-7f8091a2b3c4"


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_logger_level_message_and_request_ids(restore_root: None) -> None:
    stream = io.StringIO()
    logs.configure("json", stream=stream)
    log = logging.getLogger("bot.test")
    log.info("outside any request")
    logs.bind_request(
        {
            "team_id": "T0001",
            "channel_id": "C0CHAN",
            "user_id": "U0USER",
            "user_name": "sam",
            "command": "/peer-report",
        }
    )
    log.warning("lookup failed for %s", "thing")
    try:
        raise ValueError("broken")
    except ValueError:
        log.exception("with a traceback")
    first, second, third = (json.loads(line) for line in stream.getvalue().splitlines())
    assert set(first) == {"time", "level", "logger", "message"}
    assert first["message"] == "outside any request" and first["level"] == "INFO"
    assert second["logger"] == "bot.test" and second["level"] == "WARNING"
    assert second["message"] == "lookup failed for thing"
    assert {k: second[k] for k in ("team_id", "channel_id", "user_id")} == {
        "team_id": "T0001",
        "channel_id": "C0CHAN",
        "user_id": "U0USER",
    }
    assert len(second["request_id"]) == 16 and "sam" not in json.dumps(second)
    assert third["exception"] == "ValueError" and "broken" in third["traceback"]
    assert third["request_id"] == second["request_id"]


def test_ids_are_found_in_interactions_and_events() -> None:
    interaction = {
        "type": "block_actions",
        "team": {"id": "T0001", "domain": "acme"},
        "user": {"id": "U0USER", "name": "sam"},
        "channel": {"id": "C0CHAN", "name": "war-room"},
    }
    assert logs.ids_of(interaction) == {
        "team_id": "T0001",
        "channel_id": "C0CHAN",
        "user_id": "U0USER",
    }
    event = {"team_id": "T0001", "event": {"type": "link_shared", "channel": "C1", "user": "U1"}}
    assert logs.ids_of(event) == {"team_id": "T0001", "channel_id": "C1", "user_id": "U1"}


def test_text_is_the_default(restore_root: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PEER_REPORT_LOG_FORMAT", raising=False)
    settings = Settings(_env_file=None)
    assert settings.log_format == "text"
    assert Settings(_env_file=None, log_format="JSON").log_format == "json"
    stream = io.StringIO()
    logs.configure(settings.log_format, stream=stream)
    logging.getLogger("bot.test").warning("plain words")
    line = stream.getvalue().strip()
    assert line.endswith("WARNING bot.test plain words")
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)


def test_a_real_request_logs_its_slack_ids(
    restore_root: None, request: pytest.FixtureRequest
) -> None:
    start: Callable[..., Bot] = request.getfixturevalue("_make_bot")
    bot = start()
    stream = io.StringIO()
    logs.configure("json", stream=stream)
    bot.command(f"{APP} {UNKNOWN_PEER}", user="U0ASKER", channel="C0ROOM")

    def logged() -> list[dict[str, str]]:
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        return [line for line in lines if "lookup failed" in line["message"]]

    wait_until(lambda: bool(logged()))
    (line,) = logged()
    assert line["logger"] == "bot.slack" and line["level"] == "INFO"
    assert (line["team_id"], line["channel_id"], line["user_id"]) == ("T0001", "C0ROOM", "U0ASKER")
    assert line["request_id"]
