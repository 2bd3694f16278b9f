"""Events API: link unfurls (compact verdicts) and the App Home."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.credentials import CredentialStore
from bot.ids import IdError, PeerRef, refs_from_url
from bot.realtimekit.errors import PeerReportError
from bot.render.home import render_home
from bot.render.unfurl import render_unfurl, render_unfurl_error
from bot.setup_check import Check, check_setup
from bot.slack.deliver import slack_error
from bot.slack.lazy import ack_only, bound, guarded
from bot.slack.lookups import fetch
from bot.slack.services import Services

log = logging.getLogger("bot.slack")

#: Links unfurled per message (Slack sends at most a handful anyway).
MAX_UNFURLS = 5
#: Live setup checks are cached this long so opening the Home tab stays cheap.
CHECK_TTL = 300.0


class SetupStatus:
    """The live setup checks, recomputed at most every CHECK_TTL seconds."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._at = 0.0
        self._checks: list[Check] = []

    async def get(self, team_id: str | None) -> list[Check]:
        if self.services.demo:
            return [Check("Demo mode", True, "answering from bundled sample reports")]
        store = getattr(self.services.source, "store", None)
        if isinstance(store, CredentialStore):
            return await self._team_checks(store, team_id or "")
        if not self._checks or time.monotonic() - self._at > CHECK_TTL:
            self._checks = await check_setup(self.services.settings, include_slack=False)
            self._at = time.monotonic()
        return self._checks

    async def _team_checks(self, store: CredentialStore, team_id: str) -> list[Check]:
        """Multi-workspace mode: this workspace's own stored credentials, checked live."""
        try:
            credentials = store.load(team_id)
        except PeerReportError as exc:
            return [Check("Cloudflare", False, str(exc))]
        if credentials is None:
            return [
                Check(
                    "Cloudflare",
                    False,
                    "Not connected yet: a workspace admin clicks Connect Cloudflare below.",
                )
            ]
        settings = self.services.settings.model_copy(
            update={
                "cloudflare_account_id": credentials.account_id,
                "cloudflare_api_token": credentials.api_token,
                "realtimekit_app_id": credentials.default_app
                or self.services.settings.realtimekit_app_id,
            }
        )
        return await check_setup(settings, include_slack=False)


async def on_link_shared(
    services: Services,
    event: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    settings = services.settings
    unfurls: dict[str, Any] = {}
    for link in (event.get("links") or [])[:MAX_UNFURLS]:
        url = str(link.get("url") or "")
        try:
            refs = refs_from_url(
                url,
                default_app=services.default_app(context.team_id),
                aliases=settings.realtimekit_apps,
            )
        except IdError:
            continue
        if refs:
            unfurls[url] = await unfurl_for(services, refs[0])
    if not unfurls:
        return
    kwargs: dict[str, Any] = {"unfurls": unfurls}
    if event.get("unfurl_id") and event.get("source"):
        kwargs.update(unfurl_id=event["unfurl_id"], source=event["source"])
    else:
        kwargs.update(channel=event.get("channel"), ts=event.get("message_ts"))
    try:
        await client.chat_unfurl(**kwargs)
    except SlackApiError as exc:
        log.warning("chat.unfurl refused: %s", slack_error(exc))


async def on_home_opened(
    services: Services,
    status: SetupStatus,
    event: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    if event.get("tab") not in (None, "home"):
        return
    user = str(event.get("user") or "")
    if not user:
        return
    entries = await services.recent.list(context.team_id or "", user, limit=10)
    checks = await status.get(context.team_id)
    connect = isinstance(getattr(services.source, "store", None), CredentialStore)
    await client.views_publish(
        user_id=user,
        view=render_home(entries, checks, demo=services.demo, connect=connect),
    )


def register(app: AsyncApp, services: Services) -> None:
    status = SetupStatus(services)

    app.event("link_shared")(ack=ack_only, lazy=[guarded(bound(services, on_link_shared))])
    app.event("app_home_opened")(
        ack=ack_only, lazy=[guarded(bound(services, on_home_opened, status))]
    )


async def unfurl_for(services: Services, ref: PeerRef) -> dict[str, Any]:
    """The compact, button-free verdict for one URL (IPs always masked: unfurls are public)."""
    from bot.health import assess

    try:
        report = await fetch(services, ref)
        assessment = assess(report.participant, app_id=ref.app_id)
        return render_unfurl(report.participant, assessment, app_id=ref.app_id)
    except PeerReportError as exc:
        return render_unfurl_error(ref, str(exc))
