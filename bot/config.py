"""Settings: the only place the environment (and an optional ``.env``) is read.

Build once with ``Settings()`` in the CLI and pass it down; tests construct ``Settings(...)``
directly. Secrets are ``SecretStr`` and never appear in ``repr``, logs or errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_API_BASE = "https://api.cloudflare.com/client/v4"
DEFAULT_SLACK_API = "https://slack.com/api/"

CommaList = Annotated[tuple[str, ...], NoDecode]


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return tuple(item.strip() for item in value.split(",") if item.strip())
    return value


class Settings(BaseSettings):
    """Every variable documented in DESIGN.md, typed."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        frozen=True,
    )

    cloudflare_api_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("CLOUDFLARE_API_TOKEN", "cloudflare_api_token")
    )
    cloudflare_account_id: str | None = Field(
        default=None,
        validation_alias=AliasChoices("CLOUDFLARE_ACCOUNT_ID", "cloudflare_account_id"),
    )
    realtimekit_app_id: str | None = Field(
        default=None, validation_alias=AliasChoices("REALTIMEKIT_APP_ID", "realtimekit_app_id")
    )
    realtimekit_apps: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=dict, validation_alias=AliasChoices("REALTIMEKIT_APPS", "realtimekit_apps")
    )
    cloudflare_api_base_url: str = Field(
        default=DEFAULT_API_BASE,
        validation_alias=AliasChoices("CLOUDFLARE_API_BASE_URL", "cloudflare_api_base_url"),
    )
    cloudflare_timeout: float = Field(
        default=10.0, validation_alias=AliasChoices("CLOUDFLARE_TIMEOUT", "cloudflare_timeout")
    )

    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "slack_bot_token")
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "slack_signing_secret")
    )
    slack_app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "slack_app_token")
    )
    slack_api_url: str = Field(
        default=DEFAULT_SLACK_API, validation_alias=AliasChoices("SLACK_API_URL", "slack_api_url")
    )
    slack_client_id: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_CLIENT_ID", "slack_client_id")
    )
    slack_client_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_CLIENT_SECRET", "slack_client_secret")
    )

    cache_url: str | None = Field(
        default=None, validation_alias=AliasChoices("PEER_REPORT_CACHE_URL", "cache_url")
    )
    cache_ttl: float = Field(
        default=60.0, ge=0, validation_alias=AliasChoices("PEER_REPORT_CACHE_TTL", "cache_ttl")
    )
    allowed_channels: CommaList = Field(
        default=(),
        validation_alias=AliasChoices("PEER_REPORT_ALLOWED_CHANNELS", "allowed_channels"),
    )
    allowed_users: CommaList = Field(
        default=(), validation_alias=AliasChoices("PEER_REPORT_ALLOWED_USERS", "allowed_users")
    )
    show_ip_in: CommaList = Field(
        default=(), validation_alias=AliasChoices("PEER_REPORT_SHOW_IP_IN", "show_ip_in")
    )
    allow_external_users: bool = Field(
        default=False,
        validation_alias=AliasChoices("PEER_REPORT_ALLOW_EXTERNAL_USERS", "allow_external_users"),
    )
    max_response_bytes: int = Field(
        default=64 * 1024 * 1024,
        gt=0,
        validation_alias=AliasChoices("PEER_REPORT_MAX_RESPONSE_BYTES", "max_response_bytes"),
    )
    cloudflare_budget: int = Field(
        default=1150,
        gt=0,
        le=1200,
        validation_alias=AliasChoices("PEER_REPORT_CLOUDFLARE_BUDGET", "cloudflare_budget"),
    )
    refresh_interval: float = Field(
        default=10.0,
        ge=0,
        validation_alias=AliasChoices("PEER_REPORT_REFRESH_INTERVAL", "refresh_interval"),
    )
    user_refresh_limit: int = Field(
        default=6,
        gt=0,
        validation_alias=AliasChoices("PEER_REPORT_USER_REFRESH_LIMIT", "user_refresh_limit"),
    )
    data_dir: Path = Field(
        default=Path(".peer-report"),
        validation_alias=AliasChoices("PEER_REPORT_DATA_DIR", "data_dir"),
    )
    database_url: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("PEER_REPORT_DATABASE_URL", "database_url")
    )
    encryption_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("PEER_REPORT_ENCRYPTION_KEY", "encryption_key")
    )
    metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("PEER_REPORT_METRICS_PORT", "metrics_port"),
    )
    log_format: Literal["text", "json"] = Field(
        default="text", validation_alias=AliasChoices("PEER_REPORT_LOG_FORMAT", "log_format")
    )

    @field_validator("allowed_channels", "allowed_users", "show_ip_in", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        return _split(value)

    @field_validator("realtimekit_apps", mode="before")
    @classmethod
    def _aliases(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        aliases: dict[str, str] = {}
        for item in _split(value):
            name, sep, app_id = item.partition("=")
            if not sep or not name.strip() or not app_id.strip():
                raise ValueError(
                    f"REALTIMEKIT_APPS entry {item!r} is not of the form name=<app_id>"
                )
            aliases[name.strip().lower()] = app_id.strip()
        return aliases

    @field_validator("metrics_port", mode="before")
    @classmethod
    def _blank_port(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator(
        "cloudflare_account_id", "realtimekit_app_id", "slack_client_id", mode="before"
    )
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @property
    def oauth_mode(self) -> bool:
        """Multi-workspace install: client id and secret set, no single bot token."""
        return bool(self.slack_client_id and self.slack_client_secret and not self.slack_bot_token)

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    def secrets(self) -> list[str]:
        """Every secret value, for scrubbing (never for display)."""
        values = [
            self.cloudflare_api_token,
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.slack_client_secret,
            self.database_url,
            self.encryption_key,
        ]
        return [v.get_secret_value() for v in values if v is not None and v.get_secret_value()]
