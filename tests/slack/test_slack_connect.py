"""Slack Connect: users from another organisation are refused in every payload shape.

Through the real server and Bolt; Slack's ``users.info`` is the loopback fake, told which team
each user belongs to. The payload settles the question when it names the user's own team;
otherwise ``users.info`` does, once per user within the cache time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.slack.conftest import Bot
from tests.slack.fakes import APP
from tests.slack.test_commands import PEERS, responses, with_reports
from tests.slack.test_interactions import MESSAGE_TS

GUEST = "U0GUEST"
PARTNER = "T0PARTNER"
REFUSAL = "not to guests from other organisations"


def partner_bot(make_bot: Callable[..., Bot], **overrides: Any) -> Bot:
    bot = with_reports(make_bot(**overrides))
    bot.slack.users[GUEST] = {"team_id": PARTNER, "is_stranger": True}
    return bot


def guest_shortcut(bot: Bot) -> None:
    bot.interaction(
        {
            "type": "message_action",
            "callback_id": "peer_report_message",
            "team": {"id": "T0001", "domain": "acme"},
            "user": {"id": GUEST, "team_id": PARTNER, "name": "guest-name"},
            "channel": {"id": "C0SHARED", "name": "shared"},
            "message": {"type": "message", "ts": MESSAGE_TS, "text": f"peer {PEERS['healthy']}"},
            "response_url": bot.slack.response_url("shortcut"),
            "trigger_id": "trig-s",
            "api_app_id": "A0001",
        }
    )


def users_info_calls(bot: Bot, user: str) -> int:
    return sum(1 for c in bot.slack.calls("users.info") if c.params.get("user") == user)


@pytest.mark.parametrize(
    "shape",
    [
        "command, partner team only in user_team",
        "command, team_id of the partner",
        "command, host team_id only (users.info decides)",
        "message shortcut, user.team_id",
    ],
)
def test_partner_guests_are_refused_in_every_payload_shape(
    make_bot: Callable[..., Bot], caplog: pytest.LogCaptureFixture, shape: str
) -> None:
    bot = partner_bot(make_bot)
    peer = f"{APP} {PEERS['healthy']}"
    with caplog.at_level(logging.WARNING, logger="bot.slack"):
        if shape.startswith("command"):
            extra = {"user_team": PARTNER} if "user_team" in shape else {}
            team = PARTNER if "team_id of the partner" in shape else "T0001"
            reply = bot.command(peer, user=GUEST, team=team, channel="C0SHARED", **extra).json()
        else:
            guest_shortcut(bot)
            (reply,) = responses(bot, 1)
        time.sleep(0.3)  # any lazy work that wrongly went ahead would have reached Cloudflare
    assert REFUSAL in reply["text"]
    assert reply.get("response_type", "ephemeral") == "ephemeral"
    assert bot.cloudflare.calls() == []
    assert bot.slack.calls("chat.postMessage") == []
    denials = [r.getMessage() for r in caplog.records if "denied" in r.getMessage()]
    assert denials and all(GUEST in line for line in denials)
    assert not any("guest-name" in line or "sam" in line for line in denials)  # IDs only
    if "users.info decides" in shape:
        assert users_info_calls(bot, GUEST) == 1


def test_a_member_of_the_installing_team_is_allowed(make_bot: Callable[..., Bot]) -> None:
    bot = partner_bot(make_bot)
    reply = bot.command(f"{APP} {PEERS['healthy']}").json()
    assert "Fetching" in reply["text"]
    bot.slack.wait_for("response_url")
    assert bot.cloudflare.calls()


def test_users_info_is_asked_once_per_user_within_the_cache_time(
    make_bot: Callable[..., Bot],
) -> None:
    bot = partner_bot(make_bot)
    for i in range(3):  # distinct trigger IDs: identical requests would be replays
        assert REFUSAL in bot.command("help", user=GUEST, trigger_id=f"g{i}").json()["text"]
    for i in range(3):
        assert "/peer-report" in str(
            bot.command("help", user="U0MEMBER", trigger_id=f"m{i}").json()
        )
    assert users_info_calls(bot, GUEST) == 1
    assert users_info_calls(bot, "U0MEMBER") == 1


def test_link_unfurls_for_a_guest_named_only_by_user_id_are_refused(
    make_bot: Callable[..., Bot],
) -> None:
    bot = partner_bot(make_bot)
    link = f"https://peer-report.example/{APP}/{PEERS['healthy']}"
    bot.event(
        {
            "type": "link_shared",
            "channel": "C0SHARED",
            "user": GUEST,
            "message_ts": MESSAGE_TS,
            "links": [{"domain": "peer-report.example", "url": link}],
        }
    )
    bot.slack.wait_for("users.info")
    time.sleep(0.3)
    assert bot.slack.calls("chat.unfurl") == []
    assert bot.cloudflare.calls() == []


def test_an_enterprise_grid_colleague_from_another_workspace_is_allowed(
    make_bot: Callable[..., Bot],
) -> None:
    bot = partner_bot(make_bot)
    bot.slack.users["U0GRID"] = {
        "team_id": "T0SISTER",
        "enterprise_user": {"enterprise_id": "E0ACME", "teams": ["T0SISTER", "T0001"]},
    }
    reply = bot.command(
        f"{APP} {PEERS['healthy']}", user="U0GRID", team="T0SISTER", enterprise_id="E0ACME"
    ).json()
    assert "Fetching" in reply["text"]
    assert users_info_calls(bot, "U0GRID") == 1


def test_when_users_info_fails_only_a_payload_hint_refuses(
    make_bot: Callable[..., Bot], caplog: pytest.LogCaptureFixture
) -> None:
    bot = partner_bot(make_bot)
    bot.slack.fail_next("users.info", "internal_error", times=2)
    with caplog.at_level(logging.WARNING, logger="bot.slack"):
        # Nothing in the payload says "another organisation": allowed, and logged.
        plain = bot.command("help", user="U0QUIET").json()
        # Another workspace of an Enterprise Grid org, unconfirmed: refused.
        hinted = bot.command("help", user="U0HINT", team="T0OTHER", enterprise_id="E0ACME").json()
    assert "/peer-report" in str(plain) and REFUSAL not in str(plain)
    assert REFUSAL in hinted["text"]
    failures = [r.getMessage() for r in caplog.records if "users.info failed" in r.getMessage()]
    assert len(failures) == 2


def test_external_users_allowed_when_configured_without_asking_slack(
    make_bot: Callable[..., Bot],
) -> None:
    bot = partner_bot(make_bot, allow_external_users=True)
    reply = bot.command(f"{APP} {PEERS['healthy']}", user=GUEST, user_team=PARTNER).json()
    assert "Fetching" in reply["text"]
    assert users_info_calls(bot, GUEST) == 0


def test_a_guest_opening_the_global_shortcut_gets_a_notice_modal(
    make_bot: Callable[..., Bot],
) -> None:
    bot = partner_bot(make_bot)
    bot.interaction(
        {
            "type": "shortcut",
            "callback_id": "peer_report_global",
            "team": {"id": "T0001", "domain": "acme"},
            "user": {"id": GUEST, "team_id": PARTNER, "name": "guest-name"},
            "trigger_id": "trig-g",
            "api_app_id": "A0001",
        }
    )
    (opened,) = bot.slack.wait_for("views.open")
    assert REFUSAL in str(opened.params["view"])
    assert opened.params["view"].get("callback_id") != "peer_report_lookup"
    assert users_info_calls(bot, GUEST) == 0  # user.team_id settled it: another team
