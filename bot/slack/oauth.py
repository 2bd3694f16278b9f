"""Multi-workspace install (OAuth): Bolt's OAuth flow.

Installations and OAuth state live in files under PEER_REPORT_DATA_DIR, or in a SQL database
when PEER_REPORT_DATABASE_URL is set (an async SQLAlchemy URL such as
``sqlite+aiosqlite:///peer-report.db`` or ``postgresql+asyncpg://…``; tables are created when
the server starts). Replicas starting together take turns creating the tables: on PostgreSQL
under a transaction-scoped advisory lock, elsewhere by retrying once when another replica won
the race (the second ``create_all`` then finds the tables and does nothing).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from bot.realtimekit.errors import ConfigurationError

if TYPE_CHECKING:
    from bot.config import Settings

#: Tries of ``create_all`` while another replica races it (databases without an advisory lock).
CREATE_TABLES_ATTEMPTS = 5
#: ``pg_advisory_xact_lock`` key shared by every replica creating the tables ("peer").
CREATE_TABLES_LOCK = 0x70656572

#: The bot scopes manifest.yml asks for (kept in step by a test).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "files:write",
    "links:read",
    "links:write",
    "users:read",
)


def oauth_settings_for(settings: Settings) -> Any:
    """AsyncOAuthSettings: install at GET /slack/install, callback /slack/oauth_redirect."""
    from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
    from slack_sdk.oauth.installation_store import FileInstallationStore
    from slack_sdk.oauth.state_store import FileOAuthStateStore

    if settings.encryption_key is None:
        raise ConfigurationError(
            "OAuth mode stores each workspace's Cloudflare token encrypted: set "
            "PEER_REPORT_ENCRYPTION_KEY (a Fernet key)"
        )
    assert settings.slack_client_secret is not None
    assert settings.slack_client_id is not None
    installation_store: Any
    state_store: Any
    if settings.database_url is not None:
        installation_store, state_store = _sql_stores(
            settings.database_url.get_secret_value(), settings.slack_client_id
        )
    else:
        base = settings.data_dir
        installation_store = FileInstallationStore(base_dir=str(base / "installations"))
        state_store = FileOAuthStateStore(
            expiration_seconds=600, base_dir=str(base / "oauth-states")
        )
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        installation_store=installation_store,
        state_store=state_store,
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
    )


def _sql_stores(url: str, client_id: str) -> tuple[Any, Any]:
    try:
        from slack_sdk.oauth.installation_store.sqlalchemy import (
            AsyncSQLAlchemyInstallationStore,
        )
        from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(url)
    except Exception as exc:  # noqa: BLE001 - a bad URL or a missing driver, said plainly
        raise ConfigurationError(
            f"PEER_REPORT_DATABASE_URL cannot be used ({type(exc).__name__}): give an async "
            "SQLAlchemy URL such as sqlite+aiosqlite:///peer-report.db and install its driver "
            "(pip install 'peer-report[oauth]')"
        ) from None
    return (
        AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=engine),
        AsyncSQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine),
    )


async def prepare_stores(oauth_settings: Any) -> None:
    """Create the SQL tables (idempotent) before the first install; files need nothing."""
    for store in (oauth_settings.installation_store, oauth_settings.state_store):
        engine, metadata = getattr(store, "engine", None), getattr(store, "metadata", None)
        if engine is not None and metadata is not None:
            await create_tables(engine, metadata)


async def create_tables(engine: Any, metadata: Any) -> None:
    """``metadata.create_all``, safe when several replicas run it at the same moment."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    for attempt in range(1, CREATE_TABLES_ATTEMPTS + 1):
        try:
            async with engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    # Held until this transaction ends: the others wait, then find the tables.
                    await conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": CREATE_TABLES_LOCK}
                    )
                await conn.run_sync(metadata.create_all)
            return
        except DBAPIError as exc:
            message = str(exc.orig).lower()
            raced = "already exists" in message or "duplicate key" in message
            if attempt == CREATE_TABLES_ATTEMPTS or not raced:
                raise
            # Another replica is creating the same tables (one per statement where there is
            # no lock to wait on): let it finish, then create_all finds them.
            await asyncio.sleep(0.05 * attempt)
