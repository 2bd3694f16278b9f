"""manifest.yml is what Slack's "create app from manifest" expects, and matches the code."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.render.actions import COMMAND, GLOBAL_SHORTCUT, MESSAGE_SHORTCUT

MANIFEST = yaml.safe_load((Path(__file__).resolve().parents[1] / "manifest.yml").read_text())


def test_required_sections_and_socket_mode_default() -> None:
    assert MANIFEST["display_information"]["name"]
    assert len(MANIFEST["display_information"]["description"]) <= 140
    assert MANIFEST["features"]["bot_user"]["display_name"]
    assert MANIFEST["settings"]["socket_mode_enabled"] is True
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True


def test_surfaces_match_the_listeners() -> None:
    (command,) = MANIFEST["features"]["slash_commands"]
    assert command["command"] == COMMAND and command["usage_hint"]
    shortcuts = {s["callback_id"]: s["type"] for s in MANIFEST["features"]["shortcuts"]}
    assert shortcuts == {MESSAGE_SHORTCUT: "message", GLOBAL_SHORTCUT: "global"}
    assert set(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "link_shared",
    }
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
    assert 0 < len(MANIFEST["features"]["unfurl_domains"]) <= 5


def test_no_request_urls_in_socket_mode() -> None:
    text = (Path(__file__).resolve().parents[1] / "manifest.yml").read_text()
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert "request_url" not in body and "url:" not in body
