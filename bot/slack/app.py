"""The Bolt app factory: one AsyncApp per process, built from Settings and Services."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot import logs, metrics
from bot.realtimekit.errors import PeerReportError
from bot.service import current_team
from bot.slack.lazy import FRIENDLY_ERROR
from bot.slack.listeners import register_listeners
from bot.slack.services import Services

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger("bot.slack")


def web_client(settings: Settings, token: str | None = None) -> AsyncWebClient:
    """AsyncWebClient against SLACK_API_URL that retries rate limits and blips."""
    if token is None and settings.slack_bot_token is not None:
        token = settings.slack_bot_token.get_secret_value()
    return AsyncWebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            metrics.slack_error_counter(),  # first: it only counts, so it sees every answer
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=1),
        ],
    )


def create_app(
    settings: Settings,
    services: Services,
    *,
    client: AsyncWebClient | None = None,
    oauth_settings: Any = None,
) -> AsyncApp:
    """Build the app: HTTP signature checks on unless Socket Mode, listeners, error handler."""
    signing_secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    app = AsyncApp(
        client=client or web_client(settings),
        signing_secret=signing_secret,
        token=None,
        oauth_settings=oauth_settings,
        request_verification_enabled=not settings.socket_mode,
        process_before_response=True,
        raise_error_for_unhandled_request=False,
        logger=logging.getLogger("bot.slack.bolt"),
        name="peer-report",
    )

    @app.middleware
    async def remember_team(body: dict[str, Any], context: Any, next: Any) -> None:
        """Which workspace, surface and request this is (lazy listener tasks inherit them)."""
        current_team.set(context.team_id)
        metrics.current_surface.set(metrics.surface_of(body))
        logs.bind_request(body, team_id=context.team_id)
        await next()

    register_listeners(app, services)
    if oauth_settings is not None:
        # app_uninstalled / tokens_revoked remove the workspace's tokens from the store.
        app.enable_token_revocation_listeners()

    async def on_error(error: Exception, body: dict[str, Any], respond: Any, request: Any) -> None:
        """One friendly path for anything a listener did not handle itself.

        Never acts on a request whose signature does not verify: its ``response_url`` is
        whatever an attacker wrote (the server refuses such requests first; this is the
        second lock).
        """
        if not settings.socket_mode and not _verified(request, signing_secret):
            log.warning("error on an unverified request ignored (%s)", type(error).__name__)
            return
        if isinstance(error, PeerReportError):
            message = str(error)
            log.info("listener error: %s", type(error).__name__)
        else:
            message = FRIENDLY_ERROR
            log.error(
                "unhandled error in a Slack listener (type=%s)",
                body.get("type") or body.get("command"),
                exc_info=error,
            )
        if respond is not None and (body.get("response_url") or body.get("response_urls")):
            try:
                await respond(text=message, response_type="ephemeral", replace_original=False)
            except Exception:  # noqa: BLE001 - nothing more we can do; already logged
                log.warning("could not tell the user about an error")

    app.error(on_error)
    return app


def _verified(request: Any, secret: str) -> bool:
    """Whether a Bolt request carries a valid, fresh Slack signature (never raises)."""
    from bot.slack import gate

    try:
        headers = request.headers
        stamp = (headers.get("x-slack-request-timestamp") or [None])[0]
        signature = (headers.get("x-slack-signature") or [None])[0]
        if gate.check_timestamp(stamp) is not None:
            return False
        body = request.raw_body.encode() if isinstance(request.raw_body, str) else b""
        return gate.check_signature(secret, str(stamp), body, signature)
    except Exception:  # noqa: BLE001 - anything odd about the request means "not verified"
        return False
