"""The access check, once, as a Bolt middleware in front of every guarded listener.

It reads who is asking (:func:`bot.slack.membership.requester`: the payload, else
``users.info``), applies :func:`bot.slack.access.denial`, and either lets the request through
(the :class:`~bot.slack.access.Requester` is left in ``context["requester"]`` for the
listener) or answers it itself, where the person is:

- slash command: the ack carries the ephemeral refusal;
- lookup modal submission: the ack replaces the modal with a notice;
- button: over the modal (pushed notice) or as an ephemeral reply to the message;
- message shortcut: an ephemeral reply; global shortcut: a notice modal;
- link unfurl: nothing is unfurled.

Denials are logged with user and channel IDs only. Checks that depend on the listener's own
data (a channel carried in a button's value or a modal's ``private_metadata``) stay with it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, cast

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.identifiers import COMMAND, ActionId, CallbackId
from bot.slack.access import Requester, denial
from bot.slack.deliver import respond_or_fallback
from bot.slack.membership import requester
from bot.slack.services import Services

log = logging.getLogger("bot.slack")

#: Buttons behind the check: all but a plain link and Cloudflare "Connect" (admins only,
#: checked by its own listener).
GUARDED_ACTIONS = frozenset(a.value for a in ActionId) - {ActionId.LINK, ActionId.CONNECT}
GUARDED_SHORTCUTS = frozenset({CallbackId.MESSAGE_SHORTCUT, CallbackId.GLOBAL_SHORTCUT})
GUARDED_VIEWS = frozenset({CallbackId.LOOKUP_MODAL})
GUARDED_EVENTS = frozenset({"link_shared"})


def surface(body: dict[str, Any]) -> str | None:
    """Which guarded entry point ``body`` is (the name used in the denial log), or None."""
    if body.get("command") == COMMAND:
        return "/peer-report"
    kind = body.get("type")
    if kind in ("message_action", "shortcut") and body.get("callback_id") in GUARDED_SHORTCUTS:
        return "shortcut" if kind == "message_action" else "global shortcut"
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        first = actions[0] if isinstance(actions[0], dict) else {}
        return "button" if first.get("action_id") in GUARDED_ACTIONS else None
    if kind == "view_submission":
        view = body.get("view") or {}
        return "lookup modal" if view.get("callback_id") in GUARDED_VIEWS else None
    event = body.get("event")
    if kind == "event_callback" and isinstance(event, dict):
        return "unfurl" if event.get("type") in GUARDED_EVENTS else None
    return None


Later = Callable[[Coroutine[Any, Any, None]], None]


async def _refuse(
    later: Later,
    where: str,
    body: dict[str, Any],
    reason: str,
    who: Requester,
    ack: AsyncAck,
    respond: AsyncRespond | None,
    client: AsyncWebClient,
) -> BoltResponse:
    from bot.slack import drilldown
    from bot.slack.listeners.actions import tell

    if where == "/peer-report":
        return await ack(text=reason, response_type="ephemeral")
    if where == "lookup modal":
        return await ack(response_action="update", view=drilldown.notice_view(reason))
    answer = await ack()
    if where == "button":
        # A button in a modal has no response_url: tell() answers over the modal instead.
        later(tell(body, cast("AsyncRespond", respond), client, reason))
    elif where == "shortcut" and respond is not None:
        later(
            respond_or_fallback(
                respond, client, {"text": reason}, channel=who.channel_id, user=who.user_id
            )
        )
    elif where == "global shortcut":
        later(_notice_modal(client, body.get("trigger_id"), reason, who.user_id))
    return answer


async def _notice_modal(
    client: AsyncWebClient, trigger_id: str | None, reason: str, user_id: str | None
) -> None:
    from bot.slack import drilldown

    await drilldown.open_view(
        client,
        trigger_id,
        drilldown.notice_view(reason),
        respond=None,
        channel_id=None,
        user_id=user_id,
    )


def install(app: AsyncApp, services: Services) -> None:
    """Put the access check in front of every listener (before any of them is registered)."""
    running: set[asyncio.Task[None]] = set()

    async def tracked(work: Coroutine[Any, Any, None]) -> None:
        async with services.inflight.track():  # shutdown drains refusals still being sent
            await work

    def later(work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` after the ack (Slack gets its answer first); keep a reference."""
        task = asyncio.ensure_future(tracked(work))
        running.add(task)
        task.add_done_callback(running.discard)

    async def access_check(
        body: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
        ack: AsyncAck,
        respond: AsyncRespond | None,
        next: Callable[[], Awaitable[None]],
    ) -> BoltResponse | None:
        where = surface(body)
        if where is None:
            await next()
            return None
        who = await requester(services, client, body, context)
        context["requester"] = who
        reason = denial(services.settings, who)
        if reason is None:
            await next()
            return None
        log.warning("denied %s: user=%s channel=%s", where, who.user_id, who.channel_id)
        return await _refuse(later, where, body, reason, who, ack, respond, client)

    app.middleware(access_check)
