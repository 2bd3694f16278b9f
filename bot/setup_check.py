"""Is this deployment set up right? Live checks with an explanation for each problem.

Used by ``peer-report check`` and the App Home's setup panel. The token is probed with a real
peer-report request for a peer that cannot exist: 404 proves the token may read peer reports,
401 and 403 say exactly what is wrong. Nothing here ever prints a secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.ids import IdError, validate_account_id, validate_app_id
from bot.realtimekit.errors import (
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    PeerReportError,
    PermissionDeniedError,
)

if TYPE_CHECKING:
    from bot.config import Settings

#: A peer ID no participant will ever have (the nil-ish UUID, version 4 shape).
PROBE_PEER = "00000000-0000-4000-8000-000000000000"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _config_checks(settings: Settings) -> list[Check]:
    checks: list[Check] = []
    if settings.cloudflare_api_token is None:
        checks.append(
            Check(
                "Cloudflare API token",
                False,
                "CLOUDFLARE_API_TOKEN is not set. Create an API token with the Realtime "
                "(or Realtime Admin) permission on your account.",
            )
        )
    account = settings.cloudflare_account_id
    if account is None:
        checks.append(
            Check(
                "Cloudflare account",
                False,
                "CLOUDFLARE_ACCOUNT_ID is not set: copy the account ID (32 hex characters) "
                "from the Cloudflare dashboard's account overview.",
            )
        )
    else:
        try:
            validate_account_id(account)
            checks.append(Check("Cloudflare account", True, f"account {account}"))
        except IdError as exc:
            checks.append(Check("Cloudflare account", False, f"CLOUDFLARE_ACCOUNT_ID: {exc}"))
    default_app = settings.realtimekit_app_id
    if default_app is None:
        checks.append(
            Check(
                "Default app",
                False,
                "REALTIMEKIT_APP_ID is not set, so `/peer-report PEER` needs the app too. "
                "Set it to your RealtimeKit app ID.",
            )
        )
    else:
        try:
            validate_app_id(default_app)
            checks.append(Check("Default app", True, f"app {default_app}"))
        except IdError as exc:
            checks.append(Check("Default app", False, f"REALTIMEKIT_APP_ID: {exc}"))
    for name, app_id in sorted(settings.realtimekit_apps.items()):
        try:
            validate_app_id(app_id)
        except IdError as exc:
            checks.append(Check(f"App name {name}", False, f"REALTIMEKIT_APPS: {exc}"))
    return checks


async def _token_check(settings: Settings) -> Check:
    from bot.realtimekit.client import RealtimeKitClient, RetryPolicy

    app = settings.realtimekit_app_id or next(iter(settings.realtimekit_apps.values()), None)
    if app is None:
        return Check(
            "Token permission",
            False,
            "Cannot probe the token without an app: set REALTIMEKIT_APP_ID.",
        )
    try:
        client = RealtimeKitClient.from_settings(settings, retry=RetryPolicy(attempts=1))
    except (ConfigurationError, IdError) as exc:
        return Check("Token permission", False, str(exc))
    try:
        await client.get_peer_report(app, PROBE_PEER)
    except NotFoundError:
        return Check("Token permission", True, "the token can read peer reports")
    except AuthenticationError:
        return Check(
            "Token permission",
            False,
            "Cloudflare rejected the token (401): it is mistyped, expired or revoked.",
        )
    except PermissionDeniedError:
        return Check(
            "Token permission",
            False,
            'The token lacks the "Realtime" or "Realtime Admin" permission on account '
            f"{settings.cloudflare_account_id} (403), or belongs to another account.",
        )
    except PeerReportError as exc:
        return Check("Token permission", False, f"Could not verify the token: {exc}")
    finally:
        await client.aclose()
    return Check("Token permission", True, "the token can read peer reports")


def _slack_checks(settings: Settings) -> list[Check]:
    if settings.oauth_mode:
        detail = "multi-workspace (OAuth) install"
        if settings.encryption_key is None:
            return [
                Check(
                    "Slack",
                    False,
                    "OAuth mode needs PEER_REPORT_ENCRYPTION_KEY to store workspace "
                    "credentials encrypted.",
                )
            ]
        return [Check("Slack", True, detail)]
    if settings.slack_bot_token is None:
        return [Check("Slack", False, "SLACK_BOT_TOKEN is not set (xoxb-…).")]
    mode = "Socket Mode" if settings.socket_mode else "HTTP (POST /slack/events)"
    if not settings.socket_mode and settings.slack_signing_secret is None:
        return [Check("Slack", False, "HTTP mode needs SLACK_SIGNING_SECRET.")]
    return [Check("Slack", True, f"single workspace, {mode}")]


async def check_setup(settings: Settings, *, include_slack: bool = True) -> list[Check]:
    """Every check, configuration first, then the live token probe when it can run."""
    checks = _config_checks(settings)
    if settings.cloudflare_api_token is not None and settings.cloudflare_account_id is not None:
        checks.append(await _token_check(settings))
    if include_slack:
        checks.extend(_slack_checks(settings))
    return checks


def format_checks(checks: list[Check]) -> str:
    return "\n".join(f"{'ok ' if c.ok else 'FAIL'} {c.name}: {c.detail}" for c in checks)
