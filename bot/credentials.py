"""Per-workspace Cloudflare credentials, encrypted at rest (Fernet), for multi-workspace mode.

One file per Slack team under ``PEER_REPORT_DATA_DIR/credentials``; the file holds only the
Fernet token, so a copied disk or backup reveals nothing without PEER_REPORT_ENCRYPTION_KEY.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.realtimekit.errors import ConfigurationError

if TYPE_CHECKING:
    from pydantic import SecretStr

_TEAM = re.compile(r"^[A-Z0-9]{1,32}$")


@dataclass(frozen=True)
class CloudflareCredentials:
    account_id: str
    api_token: SecretStr
    default_app: str | None = None

    def __repr__(self) -> str:
        return f"CloudflareCredentials(account_id={self.account_id!r}, api_token=SecretStr('**'))"


class CredentialStore:
    def __init__(self, directory: Path, key: SecretStr) -> None:
        from cryptography.fernet import Fernet

        try:
            self._fernet = Fernet(key.get_secret_value().encode())
        except ValueError:
            raise ConfigurationError(
                "PEER_REPORT_ENCRYPTION_KEY is not a Fernet key: create one with "
                '`python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"`'
            ) from None
        self.directory = directory

    def _path(self, team_id: str) -> Path:
        if not _TEAM.match(team_id):
            raise ValueError(f"not a Slack team ID: {team_id!r}")
        return self.directory / f"{team_id}.fernet"

    def save(self, team_id: str, credentials: CloudflareCredentials) -> None:
        data = {
            "account_id": credentials.account_id,
            "api_token": credentials.api_token.get_secret_value(),
            "default_app": credentials.default_app,
        }
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self._path(team_id)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(self._fernet.encrypt(json.dumps(data).encode()))
        tmp.chmod(0o600)
        tmp.replace(path)

    def load(self, team_id: str) -> CloudflareCredentials | None:
        from cryptography.fernet import InvalidToken

        path = self._path(team_id)
        if not path.exists():
            return None
        try:
            data = json.loads(self._fernet.decrypt(path.read_bytes()))
        except InvalidToken:
            raise ConfigurationError(
                "Stored Cloudflare credentials cannot be decrypted: PEER_REPORT_ENCRYPTION_KEY "
                "changed. Reconnect Cloudflare from the app's Home tab."
            ) from None
        from pydantic import SecretStr

        return CloudflareCredentials(
            account_id=data["account_id"],
            api_token=SecretStr(data["api_token"]),
            default_app=data.get("default_app"),
        )
