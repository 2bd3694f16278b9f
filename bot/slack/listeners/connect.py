"""Multi-workspace mode: a workspace admin connects the workspace's Cloudflare account."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.credentials import CloudflareCredentials, CredentialStore
from bot.ids import IdError, validate_account_id, validate_app_id
from bot.render.actions import (
    CONNECT,
    CONNECT_ACCOUNT_BLOCK,
    CONNECT_APP_BLOCK,
    CONNECT_MODAL,
    CONNECT_TOKEN_BLOCK,
)
from bot.render.escape import escape_mrkdwn
from bot.render.forms import render_connect_modal, render_loading_view, render_notice_view
from bot.setup_check import check_setup
from bot.slack import drilldown
from bot.slack.deliver import slack_error
from bot.slack.lazy import ack_only, bound, guarded
from bot.slack.services import Services

log = logging.getLogger("bot.slack")


def _text(state: dict[str, Any], block: str) -> str:
    return str(((state.get(block) or {}).get("value") or {}).get("value") or "").strip()


async def on_connect(body: dict[str, Any], client: AsyncWebClient) -> None:
    await drilldown.open_view(
        client,
        body.get("trigger_id"),
        render_connect_modal(),
        respond=None,
        channel_id=None,
        user_id=(body.get("user") or {}).get("id"),
    )


async def ack_submit(ack: AsyncAck, view: dict[str, Any], context: AsyncBoltContext) -> None:
    context["connect"] = None
    state = (view.get("state") or {}).get("values") or {}
    errors: dict[str, str] = {}
    account = token = app_id = ""
    try:
        account = validate_account_id(_text(state, CONNECT_ACCOUNT_BLOCK))
    except IdError as exc:
        errors[CONNECT_ACCOUNT_BLOCK] = str(exc)[:150]
    token = _text(state, CONNECT_TOKEN_BLOCK)
    if not token or any(c.isspace() for c in token):
        errors[CONNECT_TOKEN_BLOCK] = "Paste the API token (one word, no spaces)."
    raw_app = _text(state, CONNECT_APP_BLOCK)
    if raw_app:
        try:
            app_id = validate_app_id(raw_app)
        except IdError as exc:
            errors[CONNECT_APP_BLOCK] = str(exc)[:150]
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    await ack(response_action="update", view=render_loading_view("check", "(connecting)"))
    context["connect"] = [account, token, app_id]


async def on_submit(
    services: Services,
    store: CredentialStore,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    if not context.get("connect"):
        return
    from pydantic import SecretStr

    account, token, app_id = context["connect"]
    user = str((body.get("user") or {}).get("id") or "")
    team = context.team_id or ""
    try:
        info = await client.users_info(user=user)
        member = info.get("user") or {}
        allowed = bool(member.get("is_admin") or member.get("is_owner"))
    except SlackApiError as exc:
        log.warning("users.info failed: %s", slack_error(exc))
        allowed = False
    if not allowed:
        log.warning("denied Cloudflare connect: user=%s team=%s", user, team)
        await client.views_update(
            view_id=view["id"],
            view=render_notice_view(
                "Not allowed", "Only workspace admins and owners can connect Cloudflare."
            ),
        )
        return
    candidate = services.settings.model_copy(
        update={
            "cloudflare_account_id": account,
            "cloudflare_api_token": SecretStr(token),
            "realtimekit_app_id": app_id or services.settings.realtimekit_app_id,
        }
    )
    checks = [c for c in await check_setup(candidate, include_slack=False) if not c.ok]
    if checks and any(c.name == "Token permission" for c in checks):
        problem = next(c for c in checks if c.name == "Token permission")
        await client.views_update(
            view_id=view["id"],
            view=render_notice_view(
                "Not connected", f":x: {escape_mrkdwn(problem.detail)} Nothing was saved."
            ),
        )
        return
    store.save(
        team,
        CloudflareCredentials(account, SecretStr(token), app_id or None),
    )
    log.info("Cloudflare connected: team=%s by user=%s", team, user)
    await client.views_update(
        view_id=view["id"],
        view=render_notice_view(
            "Connected",
            f":white_check_mark: Connected to account `{account}`. Try `/peer-report help`.",
        ),
    )


def register(app: AsyncApp, services: Services, store: CredentialStore) -> None:
    app.action(CONNECT)(ack=ack_only, lazy=[guarded(on_connect)])
    app.view(CONNECT_MODAL)(ack=ack_submit, lazy=[guarded(bound(services, on_submit, store))])
