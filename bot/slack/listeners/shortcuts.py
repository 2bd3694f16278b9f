"""Message shortcut (cards in the message's thread) and global shortcut (lookup modal)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.ids import find_refs
from bot.render.actions import GLOBAL_SHORTCUT, MESSAGE_SHORTCUT
from bot.render.forms import (
    render_fetching,
    render_lookup_modal,
    render_no_peers,
    render_not_in_channel,
    render_peer_list,
)
from bot.slack import drilldown
from bot.slack.deliver import NotInChannelError, post_message, respond_or_fallback
from bot.slack.lazy import ack_only, bound, guarded
from bot.slack.listeners.commands import MAX_CARDS
from bot.slack.lookups import summary_card
from bot.slack.membership import checked_requester
from bot.slack.recent import remember
from bot.slack.services import Services

log = logging.getLogger("bot.slack")


def message_text(message: dict[str, Any]) -> str:
    """All the text a message carries: its text, its blocks' text and its attachments'."""
    parts: list[str] = [str(message.get("text") or "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "url", "value", "fallback", "pretext", "title", "title_link"):
                value = node.get(key)
                if isinstance(value, str):
                    parts.append(value)
            for value in node.values():
                if isinstance(value, list | dict):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks") or [])
    walk(message.get("attachments") or [])
    return "\n".join(parts)


async def on_message_shortcut(
    services: Services,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    who = checked_requester(body, context)
    message = body.get("message") or {}
    settings = services.settings
    refs = list(
        find_refs(
            message_text(message),
            default_app=services.default_app(context.team_id),
            aliases=settings.realtimekit_apps,
        )
    )
    if not refs:
        await respond(**render_no_peers(services.default_app(context.team_id) is not None))
        return
    channel = who.channel_id
    thread_ts = message.get("thread_ts") or message.get("ts")
    await respond(**render_fetching(refs[:MAX_CARDS]))
    async with services.inflight.track():
        try:
            for ref in refs[:MAX_CARDS]:
                outcome = await summary_card(services, ref, channel_id=channel)
                assert channel is not None
                await post_message(
                    client, channel=channel, payload=outcome.payload, thread_ts=thread_ts
                )
                await remember(services, body, ref, outcome)
            if len(refs) > MAX_CARDS and channel:
                await post_message(
                    client,
                    channel=channel,
                    payload=render_peer_list(refs, shown=MAX_CARDS),
                    thread_ts=thread_ts,
                )
        except NotInChannelError as exc:
            await respond_or_fallback(
                respond,
                client,
                render_not_in_channel(exc.error),
                channel=channel,
                user=who.user_id,
                replace_original=True,
            )
            return
    await respond(delete_original=True)


async def on_global_shortcut(
    services: Services, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    who = checked_requester(body, context)
    settings = services.settings
    view = render_lookup_modal(settings.realtimekit_apps, services.default_app(context.team_id))
    await drilldown.open_view(
        client,
        body.get("trigger_id"),
        view,
        respond=None,
        channel_id=None,
        user_id=who.user_id,
    )


def register(app: AsyncApp, services: Services) -> None:
    app.shortcut(MESSAGE_SHORTCUT)(
        ack=ack_only, lazy=[guarded(bound(services, on_message_shortcut))]
    )
    app.shortcut(GLOBAL_SHORTCUT)(ack=ack_only, lazy=[guarded(bound(services, on_global_shortcut))])
