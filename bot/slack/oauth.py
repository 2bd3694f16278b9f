"""Multi-workspace install (OAuth): Bolt's OAuth flow with file stores under the data dir."""

from __future__ import annotations

from typing import Any

from bot.config import Settings
from bot.realtimekit.errors import ConfigurationError

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
    if settings.database_url is not None:
        raise ConfigurationError(
            "PEER_REPORT_DATABASE_URL is not supported yet: unset it to use the file store "
            "under PEER_REPORT_DATA_DIR"
        )
    assert settings.slack_client_secret is not None
    base = settings.data_dir
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        installation_store=FileInstallationStore(base_dir=str(base / "installations")),
        state_store=FileOAuthStateStore(
            expiration_seconds=600, base_dir=str(base / "oauth-states")
        ),
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
    )
