"""The SQL installation and OAuth-state stores on a real PostgreSQL (asyncpg), and on SQLite.

Install, token rotation and uninstall go through the running bot where Slack would drive them
(a slash command authorised from the stored installation, an ``app_uninstalled`` event); two
replicas creating the tables at the same moment must both succeed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import Settings
from bot.slack.oauth import BOT_SCOPES, oauth_settings_for, prepare_stores
from tests.slack.conftest import Bot, fake_cloudflare, fake_slack, wait_until  # noqa: F401 - fixtures make_bot uses
from tests.slack.conftest import make_bot as _make_bot  # noqa: F401 - fixture, see start_bot
from tests.slack.fakes import APP
from tests.slack.test_commands import PEERS

CLIENT_ID = "111.222"
FIRST_TOKEN = "xoxe.xoxb-first-token"
ROTATED_TOKEN = "xoxe.xoxb-rotated-token"


@pytest.fixture(params=["postgresql", "sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'peer-report.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def installation(token: str, *, refresh: str, expires_in: int) -> Installation:
    return Installation(
        app_id="A0001",
        team_id="T0001",
        user_id="U0ADMIN1",
        bot_token=token,
        bot_id="B0001",
        bot_user_id="U0BOT",
        bot_scopes=list(BOT_SCOPES),
        bot_refresh_token=refresh,
        bot_token_expires_in=expires_in,
        installed_at=time.time(),
    )


async def save(url: str, item: Installation) -> None:
    engine = create_async_engine(url)
    try:
        await AsyncSQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=engine).async_save(item)
    finally:
        await engine.dispose()


async def find_bot_token(url: str) -> str | None:
    engine = create_async_engine(url)
    try:
        store = AsyncSQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=engine)
        bot = await store.async_find_bot(enterprise_id=None, team_id="T0001")
        return bot.bot_token if bot is not None else None
    finally:
        await engine.dispose()


def start_bot(request: pytest.FixtureRequest, tmp_path: Path, url: str) -> Bot:
    start: Callable[..., Bot] = request.getfixturevalue("_make_bot")
    bot = start(
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret="client-secret-xyz",
        encryption_key=Fernet.generate_key().decode(),
        data_dir=tmp_path,
        database_url=url,
        cloudflare_api_token=None,
        cloudflare_account_id=None,
    )
    bot.cloudflare.add_report(PEERS["healthy"], b"{}")
    return bot


def command_tokens(bot: Bot) -> list[str]:
    return [c.headers["authorization"] for c in bot.slack.calls("auth.test")]


def test_install_rotate_and_uninstall_through_the_bot(
    request: pytest.FixtureRequest, tmp_path: Path, database_url: str
) -> None:
    bot = start_bot(request, tmp_path, database_url)  # its start-up creates the tables
    page = bot.http.get(f"{bot.url}/slack/install")  # issues an OAuth state (state store)
    assert page.status_code == 200 and "state=" in page.text

    # Install: the bot answers the workspace with the stored token.
    asyncio.run(
        save(database_url, installation(FIRST_TOKEN, refresh="xoxe-1-r1", expires_in=43200))
    )
    assert bot.command(f"{APP} {PEERS['healthy']}").status_code == 200
    assert command_tokens(bot) == [f"Bearer {FIRST_TOKEN}"]

    # Token rotation: the refreshed token replaces the old one for the next request.
    bot.slack.clear()
    asyncio.run(
        save(database_url, installation(ROTATED_TOKEN, refresh="xoxe-1-r2", expires_in=43200))
    )
    assert asyncio.run(find_bot_token(database_url)) == ROTATED_TOKEN
    assert bot.command("help").status_code == 200
    assert command_tokens(bot) == [f"Bearer {ROTATED_TOKEN}"]

    # Uninstall: Slack's app_uninstalled event removes the workspace's tokens.
    response = bot.event({"type": "app_uninstalled"})
    assert response.status_code == 200
    wait_until(lambda: asyncio.run(find_bot_token(database_url)) is None)


def test_oauth_state_is_single_use(database_url: str) -> None:
    async def run() -> tuple[bool, bool, bool]:
        engine = create_async_engine(database_url)
        try:
            store = AsyncSQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine)
            await store.create_tables()
            state = await store.async_issue()
            return (
                await store.async_consume(state),
                await store.async_consume(state),
                await store.async_consume("never-issued"),
            )
        finally:
            await engine.dispose()

    assert asyncio.run(run()) == (True, False, False)


def test_two_replicas_create_the_tables_at_the_same_time(database_url: str) -> None:
    settings = Settings(
        _env_file=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret="s",
        encryption_key=Fernet.generate_key().decode(),
        database_url=database_url,
    )
    replicas = [oauth_settings_for(settings) for _ in range(4)]

    async def start_together() -> list[Any]:
        try:
            return await asyncio.gather(
                *(prepare_stores(r) for r in replicas), return_exceptions=True
            )
        finally:
            for replica in replicas:
                await replica.installation_store.engine.dispose()

    results = asyncio.run(start_together())
    assert [r for r in results if isinstance(r, BaseException)] == []

    async def tables() -> set[str]:
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as conn:
                return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        finally:
            await engine.dispose()

    assert {"slack_installations", "slack_bots", "slack_oauth_states"} <= asyncio.run(tables())
