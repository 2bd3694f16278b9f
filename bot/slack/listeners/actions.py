"""Buttons on the card and inside the drill-down modals.

The access rules for the request's own user and channel are applied before any listener runs
(:mod:`bot.slack.listeners.gatekeeper`). Here every button passes one more guard: a channel
carried in the button's value (modal buttons) only when it passes the allowlists too, and never
to show full IPs (only the request's own channel can do that). Refusals and errors
reach the user where they clicked: a modal gets a pushed notice, a message an ephemeral reply.
Refresh and drill-downs are throttled (:mod:`bot.slack.throttle`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.identifiers import SECTION_ACTIONS
from bot.ids import IdError, PeerRef, validate_app_id, validate_peer_id
from bot.realtimekit.errors import PeerReportError
from bot.render import actions as ids
from bot.render.forms import (
    render_error,
    render_loading_view,
    render_message_from_view,
    render_summary_view,
)
from bot.slack import drilldown, uploads
from bot.slack.access import denial, requester_from
from bot.slack.deliver import respond_or_fallback, slack_error, update_message
from bot.slack.lazy import ack_only, guarded
from bot.slack.lookups import fetch, summary_card
from bot.slack.membership import checked_requester
from bot.slack.services import Services
from bot.slack.throttle import Throttle, saving_budget

if TYPE_CHECKING:
    from bot.realtimekit.client import FetchedReport

log = logging.getLogger("bot.slack")

SECTION_OF: dict[str, str] = {str(a): str(s) for a, s in SECTION_ACTIONS.items()}


def _action(body: dict[str, Any]) -> dict[str, Any]:
    acts = body.get("actions") or [{}]
    return acts[0] if isinstance(acts[0], dict) else {}


def ref_of(body: dict[str, Any]) -> tuple[PeerRef, dict[str, Any]]:
    """The peer a button is about, re-validated: values come back from the client."""
    action = _action(body)
    value = ids.decode_value(str(action.get("value") or ""))
    ref = PeerRef(app_id=validate_app_id(value.app_id), peer_id=validate_peer_id(value.peer_id))
    extra: dict[str, Any] = dict(value.extra)
    extra["section"] = SECTION_OF.get(str(action.get("action_id")), "")
    return ref, extra


@dataclass(frozen=True)
class Click:
    """One button press: the peer it is about and the surface that held the button."""

    ref: PeerRef
    extra: dict[str, Any]
    channel: str | None
    ts: str | None
    thread_ts: str | None
    ephemeral: bool
    view_id: str | None
    user_id: str | None
    trigger_id: str | None
    #: True when ``channel`` is the request's own (not read from the button's value).
    trusted_channel: bool = True

    @property
    def ip_channel(self) -> str | None:
        """The channel whose PEER_REPORT_SHOW_IP_IN rule applies (only the request's own)."""
        return self.channel if self.trusted_channel else None


Handler = Callable[[Services, "Click", AsyncRespond, AsyncWebClient], Awaitable[None]]


def click_of(body: dict[str, Any], ref: PeerRef, extra: dict[str, Any]) -> Click:
    container = body.get("container") or {}
    message = body.get("message") or {}
    ts = container.get("message_ts") or message.get("ts")
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ephemeral = bool(container.get("is_ephemeral"))
    carried = str(extra.get("c") or "") or None
    return Click(
        ref=ref,
        extra=extra,
        channel=channel or carried,
        trusted_channel=bool(channel) or carried is None,
        ts=ts,
        thread_ts=None if ephemeral else (message.get("thread_ts") or ts),
        ephemeral=ephemeral,
        view_id=(body.get("view") or {}).get("id"),
        user_id=(body.get("user") or {}).get("id"),
        trigger_id=body.get("trigger_id"),
    )


async def tell(
    body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, message: str
) -> None:
    """Say ``message`` where the user clicked: over the modal, or ephemeral in the channel."""
    who = requester_from(body, None)
    await say(
        respond,
        client,
        message,
        view_id=(body.get("view") or {}).get("id"),
        trigger_id=body.get("trigger_id"),
        channel=who.channel_id,
        user=who.user_id,
    )


async def say(
    respond: AsyncRespond,
    client: AsyncWebClient,
    message: str,
    *,
    view_id: str | None,
    trigger_id: str | None,
    channel: str | None,
    user: str | None,
) -> None:
    if view_id:
        notice = drilldown.notice_view(message)
        try:
            if trigger_id:
                await client.views_push(trigger_id=trigger_id, view=notice)
            else:
                await client.views_update(view_id=view_id, view=notice)
            return
        except SlackApiError as exc:
            log.warning("could not show a notice over the modal (%s)", slack_error(exc))
            await client.views_update(view_id=view_id, view=notice)
            return
    await respond_or_fallback(respond, client, render_error(message), channel=channel, user=user)


async def say_to(click: Click, respond: AsyncRespond, client: AsyncWebClient, msg: str) -> None:
    await say(
        respond,
        client,
        msg,
        view_id=click.view_id,
        trigger_id=click.trigger_id,
        channel=click.channel if click.trusted_channel else None,
        user=click.user_id,
    )


# --- the buttons: module-level, so a unit test can call one with fakes ----------------------


async def report_or_say(
    services: Services, click: Click, respond: AsyncRespond, client: AsyncWebClient
) -> FetchedReport | None:
    try:
        return await fetch(services, click.ref)
    except PeerReportError as exc:
        await say_to(click, respond, client, str(exc))
        return None


async def on_section(
    services: Services, click: Click, respond: AsyncRespond, client: AsyncWebClient
) -> None:
    await drilldown.open_section(
        client,
        services,
        trigger_id=click.trigger_id,
        ref=click.ref,
        section=click.extra["section"],
        channel_id=click.ip_channel,
        user_id=click.user_id,
        respond=respond,
        push=click.view_id is not None,
    )


async def on_page(
    services: Services, click: Click, respond: AsyncRespond, client: AsyncWebClient
) -> None:
    section = str(click.extra.get("s") or "events")
    page = int(click.extra.get("pg") or 1)
    view = await drilldown.section_view(
        services, click.ref, section, channel_id=click.ip_channel, page=page
    )
    if click.view_id:
        await client.views_update(view_id=click.view_id, view=view)
    else:
        # A paged view shown as a message (the modal could not open): page in place.
        await respond(**render_message_from_view(view), replace_original=True)


async def on_refresh(
    services: Services, click: Click, respond: AsyncRespond, client: AsyncWebClient
) -> None:
    outcome = await summary_card(services, click.ref, channel_id=click.ip_channel, refresh=True)
    if not outcome.ok:
        if click.view_id:
            await client.views_push(
                trigger_id=click.trigger_id, view=render_summary_view(outcome.payload)
            )
        else:
            await respond(**outcome.payload, response_type="ephemeral", replace_original=False)
    elif click.view_id:
        await client.views_update(view_id=click.view_id, view=render_summary_view(outcome.payload))
    elif click.ephemeral or not (click.channel and click.ts):
        await respond(**outcome.payload, replace_original=True)
    else:
        await update_message(client, channel=click.channel, ts=click.ts, payload=outcome.payload)


async def on_raw(
    services: Services, click: Click, respond: AsyncRespond, client: AsyncWebClient
) -> None:
    await uploads.post_raw(
        client,
        services,
        click.ref,
        channel=click.channel,
        thread_ts=click.thread_ts,
        respond=respond,
        user_id=click.user_id,
        ip_channel=click.ip_channel,
    )


async def on_reveal_ip(
    services: Services, click: Click, respond: AsyncRespond, client: AsyncWebClient
) -> None:
    """Full IP details, ephemeral, to the requester who explicitly asked."""
    from bot.health import assess
    from bot.render.sections import render_section_blocks

    report = await report_or_say(services, click, respond, client)
    if report is None:
        return
    payload = render_section_blocks(
        report.participant,
        "device",
        assessment=assess(report.participant, app_id=click.ref.app_id),
        app_id=click.ref.app_id,
        show_ip=True,
        peer_id=click.ref.peer_id,
    )
    payload["text"] = "Only you can see this: " + str(payload.get("text", ""))
    if click.channel and click.user_id:
        await client.chat_postEphemeral(channel=click.channel, user=click.user_id, **payload)
    else:
        await respond(**payload, response_type="ephemeral", replace_original=False)


async def on_chart(
    services: Services, click: Click, respond: AsyncRespond, client: AsyncWebClient
) -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        await say_to(
            click,
            respond,
            client,
            "Charts need the optional `chart` extra, which is not installed on this bot. "
            "Ask whoever runs it to install `peer-report[chart]` (pip install "
            "'peer-report[chart]') and restart it.",
        )
        return

    await uploads.post_chart(
        client,
        services,
        click.ref,
        channel=click.channel,
        thread_ts=click.thread_ts,
        respond=respond,
        user_id=click.user_id,
    )


async def on_reopen(
    services: Services, click: Click, respond: AsyncRespond, client: AsyncWebClient
) -> None:
    """App Home "Reopen": the summary card in a modal (the Home tab holds no channel)."""
    view_id = await drilldown.open_view(
        client,
        click.trigger_id,
        render_loading_view("summary", click.ref.peer_id),
        respond=None,
        channel_id=None,
        user_id=click.user_id,
    )
    if view_id is not None:
        outcome = await summary_card(services, click.ref, channel_id=None)
        await client.views_update(view_id=view_id, view=render_summary_view(outcome.payload))


def register(app: AsyncApp, services: Services) -> None:
    throttle = Throttle(services.settings)

    async def guard(
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> Click | None:
        """A re-validated button value (and its carried channel's access), or a refusal.

        The request's own user and channel were checked by the access middleware.
        """
        who = checked_requester(body, context)
        try:
            ref, extra = ref_of(body)
        except (IdError, ValueError):
            log.warning("rejected a button with a malformed value from user=%s", who.user_id)
            await tell(
                body, respond, client, "That button's data was not valid; run /peer-report again."
            )
            return None
        click = click_of(body, ref, extra)
        if not click.trusted_channel:
            # The channel came from the button's value: it must pass the allowlists as well.
            carried = dataclasses.replace(who, channel_id=click.channel)
            refused = denial(services.settings, carried)
            if refused:
                log.warning(
                    "denied button for carried channel=%s user=%s", click.channel, who.user_id
                )
                await tell(body, respond, client, refused)
                return None
        return click

    def checks(name: str, click: Click) -> str | None:
        """Throttles: Refresh per peer, per user and by budget; drill-downs per user."""
        if name == "on_refresh":
            return saving_budget(services.source, services.settings) or throttle.refresh(
                click.user_id, f"{click.ref.app_id}:{click.ref.peer_id}"
            )
        if name in ("on_section", "on_page", "on_raw", "on_chart", "on_reveal_ip"):
            return throttle.drill(click.user_id)
        return None

    def button(work: Handler) -> Callable[..., Awaitable[None]]:
        """A lazy listener: guard, then ``work(services, click, respond, client)``."""

        async def run(
            body: dict[str, Any],
            respond: AsyncRespond,
            client: AsyncWebClient,
            context: AsyncBoltContext,
        ) -> None:
            click = await guard(body, respond, client, context)
            if click is None:
                return
            refused = checks(work.__name__, click)
            if refused:
                await tell(body, respond, client, refused)
                return
            async with services.inflight.track():
                await work(services, click, respond, client)

        run.__name__ = work.__name__
        return guarded(run)

    for action_id, work in (
        *((action_id, on_section) for action_id in SECTION_OF),
        (ids.PAGE_PREV, on_page),
        (ids.PAGE_NEXT, on_page),
        (ids.REFRESH, on_refresh),
        (ids.RAW, on_raw),
        (ids.REVEAL_IP, on_reveal_ip),
        (ids.CHART, on_chart),
        (ids.REOPEN, on_reopen),
    ):
        app.action(action_id)(ack=ack_only, lazy=[button(work)])
    app.action(ids.LINK)(ack_only)
