"""Multi-workspace mode: OAuth install routes, encrypted per-workspace Cloudflare credentials."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from pydantic import SecretStr
from slack_sdk.oauth.installation_store import FileInstallationStore, Installation

from bot.credentials import CloudflareCredentials, CredentialStore
from bot.samples import load_sample_bytes
from bot.slack.oauth import BOT_SCOPES
from tests.slack.conftest import CF_TOKEN, Bot, check_payload
from tests.slack.fakes import ACCOUNT, APP
from tests.slack.test_commands import PEERS, responses

TEAM_TOKEN = "xoxb-installed-team-token"


def oauth_bot(make_bot: Callable[..., Bot], tmp_path: Path) -> tuple[Bot, str]:
    key = Fernet.generate_key().decode()
    bot = make_bot(
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="client-secret-xyz",
        encryption_key=key,
        data_dir=tmp_path,
        cloudflare_api_token=None,
        cloudflare_account_id=None,
        realtimekit_app_id=None,
    )
    FileInstallationStore(base_dir=str(tmp_path / "installations")).save(
        Installation(
            app_id="A0001",
            team_id="T0001",
            user_id="U0ADMIN1",
            bot_token=TEAM_TOKEN,
            bot_id="B0001",
            bot_user_id="U0BOT",
            bot_scopes=list(BOT_SCOPES),
        )
    )
    return bot, key


def test_install_page_links_to_slack_with_the_scopes(
    make_bot: Callable[..., Bot], tmp_path: Path
) -> None:
    bot, _ = oauth_bot(make_bot, tmp_path)
    page = bot.http.get(f"{bot.url}/slack/install")
    assert page.status_code == 200
    assert "slack.com/oauth/v2/authorize" in page.text and "client_id=111.222" in page.text
    assert "files%3Awrite" in page.text or "files:write" in page.text


def test_manifest_scopes_match_the_oauth_scopes() -> None:
    import yaml

    manifest = yaml.safe_load(
        Path(__file__).resolve().parents[2].joinpath("manifest.yml").read_text()
    )
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == set(BOT_SCOPES)


def test_credentials_are_encrypted_at_rest(tmp_path: Path) -> None:
    key = SecretStr(Fernet.generate_key().decode())
    store = CredentialStore(tmp_path, key)
    store.save("T0001", CloudflareCredentials(ACCOUNT, SecretStr(CF_TOKEN), APP))
    (blob,) = tmp_path.iterdir()
    assert CF_TOKEN.encode() not in blob.read_bytes() and ACCOUNT.encode() not in blob.read_bytes()
    loaded = store.load("T0001")
    assert loaded is not None and loaded.api_token.get_secret_value() == CF_TOKEN
    assert CF_TOKEN not in repr(loaded)
    assert store.load("T0002") is None


def submit_connect(bot: Bot, user: str, token: str = CF_TOKEN, account: str = ACCOUNT) -> Any:
    def field(value: str) -> dict[str, Any]:
        return {"value": {"type": "plain_text_input", "value": value}}

    return bot.interaction(
        {
            "type": "view_submission",
            "team": {"id": "T0001"},
            "user": {"id": user, "team_id": "T0001"},
            "api_app_id": "A0001",
            "view": {
                "id": "VCONNECT",
                "type": "modal",
                "callback_id": "peer_report_connect",
                "state": {
                    "values": {
                        "connect_account": field(account),
                        "connect_token": field(token),
                        "connect_app": field(APP),
                    }
                },
            },
        }
    )


def test_admin_connects_then_lookups_use_the_workspace_token(
    make_bot: Callable[..., Bot], tmp_path: Path
) -> None:
    bot, _ = oauth_bot(make_bot, tmp_path)
    bot.cloudflare.add_report(PEERS["healthy"], load_sample_bytes("healthy"))
    before = bot.command(f"{APP} {PEERS['healthy']}")
    assert before.status_code == 200
    (note,) = responses(bot, 1)
    assert "not connected a Cloudflare account" in json.dumps(note)
    bot.slack.clear()

    bad = submit_connect(bot, "U0ADMIN1", account="not-hex")
    assert bad.json()["response_action"] == "errors"
    denied = submit_connect(bot, "U0MEMBER")
    assert denied.json()["response_action"] == "update"
    (update,) = bot.slack.wait_for("views.update")
    assert "Only workspace admins" in json.dumps(update.params["view"])
    bot.slack.clear()

    assert submit_connect(bot, "U0ADMIN1").json()["response_action"] == "update"
    (update,) = bot.slack.wait_for("views.update")
    assert "Connected" in json.dumps(update.params["view"])
    assert any(p.name.endswith(".fernet") for p in (tmp_path / "credentials").iterdir())
    bot.slack.clear()

    bot.command(PEERS["healthy"])  # a bare peer: the workspace's own default app
    card = responses(bot, 2)[0]
    assert card["response_type"] == "in_channel"
    assert check_payload({"text": card["text"], "blocks": card["blocks"]}) == []
    lookups = [c for c in bot.cloudflare.calls() if PEERS["healthy"] in c.params["path"]]
    assert lookups[-1].headers["authorization"] == f"Bearer {CF_TOKEN}"
    assert all(
        c.headers.get("authorization") == f"Bearer {TEAM_TOKEN}"
        for c in bot.slack.calls("chat.postMessage")
    )


def test_wrong_token_is_not_saved(make_bot: Callable[..., Bot], tmp_path: Path) -> None:
    bot, _ = oauth_bot(make_bot, tmp_path)
    submit_connect(bot, "U0ADMIN1", token="wrong-token")
    (update,) = bot.slack.wait_for("views.update")
    assert "Nothing was saved" in json.dumps(update.params["view"])
    assert not (tmp_path / "credentials").exists() or not any((tmp_path / "credentials").iterdir())


def test_sql_installation_store(make_bot: Callable[..., Bot], tmp_path: Path) -> None:
    import asyncio

    from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
    from sqlalchemy.ext.asyncio import create_async_engine

    url = f"sqlite+aiosqlite:///{tmp_path / 'peer-report.db'}"
    key = Fernet.generate_key().decode()

    async def install() -> None:
        engine = create_async_engine(url)
        store = AsyncSQLAlchemyInstallationStore(client_id="111.222", engine=engine)
        await store.create_tables()
        await store.async_save(
            Installation(
                app_id="A0001",
                team_id="T0001",
                user_id="U0ADMIN1",
                bot_token=TEAM_TOKEN,
                bot_id="B0001",
                bot_user_id="U0BOT",
                bot_scopes=list(BOT_SCOPES),
            )
        )
        await engine.dispose()

    asyncio.run(install())
    bot = make_bot(
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="client-secret-xyz",
        encryption_key=key,
        data_dir=tmp_path,
        database_url=url,
        cloudflare_api_token=None,
        cloudflare_account_id=None,
    )
    assert "slack.com/oauth/v2/authorize" in bot.http.get(f"{bot.url}/slack/install").text
    assert bot.command("help").status_code == 200
    bot.command(f"{APP} {PEERS['healthy']}")
    (note,) = responses(bot, 1)
    assert "not connected a Cloudflare account" in json.dumps(note)
    assert all(
        c.headers["authorization"] == f"Bearer {TEAM_TOKEN}" for c in bot.slack.calls("auth.test")
    )


def test_bad_database_url_is_a_clear_configuration_error(tmp_path: Path) -> None:
    from bot.config import Settings
    from bot.realtimekit.errors import ConfigurationError
    from bot.slack.oauth import oauth_settings_for

    settings = Settings(
        _env_file=None,
        slack_client_id="1.2",
        slack_client_secret="s",
        encryption_key=Fernet.generate_key().decode(),
        database_url="nosuchdb://x",
    )
    try:
        oauth_settings_for(settings)
    except ConfigurationError as exc:
        assert "PEER_REPORT_DATABASE_URL" in str(exc) and "nosuchdb" not in str(exc)
    else:
        raise AssertionError("expected a ConfigurationError")
