"""``/peer-report``: help, the lookup modal, summary cards, straight-to-section views."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.ids import IdError, PeerRef, SessionRef, mentions_session, parse_refs
from bot.render.actions import COMMAND
from bot.render.forms import (
    render_fetching,
    render_help,
    render_lookup_modal,
    render_peer_list,
    render_usage_error,
)
from bot.slack import drilldown, uploads
from bot.slack.deliver import respond_or_fallback
from bot.slack.lazy import bound, guarded
from bot.slack.listeners import session as session_listeners
from bot.slack.lookups import summary_card
from bot.slack.membership import checked_requester
from bot.slack.recent import remember
from bot.slack.services import Services

log = logging.getLogger("bot.slack")

#: Cards posted for one command; the rest are listed (one click away).
MAX_CARDS = 5
HELP_WORDS = {"help", "-h", "--help", "?", "usage"}


def installing_team(context: AsyncBoltContext) -> str | None:
    result = context.authorize_result
    return result.team_id if result is not None else context.team_id


async def ack_command(
    services: Services, ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Answer within Slack's 3 s with no I/O but the ack; leave a plan for the work.

    Access was checked by the middleware (:mod:`bot.slack.listeners.gatekeeper`).
    """
    context["plan"] = None
    text = str(body.get("text") or "").strip()
    settings = services.settings
    if text.lower() in HELP_WORDS:
        await ack(**render_help(settings.realtimekit_apps, services.default_app(context.team_id)))
        return
    if not text:
        await ack()
        context["plan"] = {"kind": "modal"}
        return
    if mentions_session(text):
        await session_listeners.ack_session(ack, text, context, services)
        return
    try:
        parsed = parse_refs(
            text,
            default_app=services.default_app(context.team_id),
            aliases=settings.realtimekit_apps,
        )
    except IdError as exc:
        await ack(**render_usage_error(str(exc)))
        return
    refs = [[r.app_id, r.peer_id] for r in parsed.refs]
    if parsed.section:
        await ack()
        context["plan"] = {"kind": "section", "refs": refs[:1], "section": parsed.section}
        return
    await ack(**render_fetching(list(parsed.refs[:MAX_CARDS])))
    context["plan"] = {"kind": "cards", "refs": refs}


async def run_command(
    services: Services,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    plan = context.get("plan")
    if not plan:
        return
    who = checked_requester(body, context)
    settings = services.settings
    if plan["kind"] == "modal":
        await drilldown.open_view(
            client,
            body.get("trigger_id"),
            render_lookup_modal(
                settings.realtimekit_apps,
                services.default_app(context.team_id),
                channel_id=who.channel_id,
            ),
            respond=respond,
            channel_id=who.channel_id,
            user_id=who.user_id,
        )
        return
    if plan["kind"] == "session":
        await session_listeners.run_session(
            services,
            client,
            respond,
            SessionRef(plan["app"], plan["session"]),
            channel_id=who.channel_id,
            user_id=who.user_id,
        )
        return
    refs = [PeerRef(app_id=a, peer_id=p) for a, p in plan["refs"]]
    if plan["kind"] == "section" and plan["section"] == "raw":
        # The raw report is a file in the conversation, not a modal that promises one.
        await uploads.post_raw(
            client,
            services,
            refs[0],
            channel=who.channel_id,
            thread_ts=None,
            respond=respond,
            user_id=who.user_id,
            ip_channel=who.channel_id,
        )
        return
    if plan["kind"] == "section":
        await drilldown.open_section(
            client,
            services,
            trigger_id=body.get("trigger_id"),
            ref=refs[0],
            section=plan["section"],
            channel_id=who.channel_id,
            user_id=who.user_id,
            respond=respond,
        )
        return
    async with services.inflight.track():
        await post_cards(services, client, respond, refs, who.channel_id, who.user_id, body)


def register(app: AsyncApp, services: Services) -> None:
    app.command(COMMAND)(
        ack=bound(services, ack_command), lazy=[guarded(bound(services, run_command))]
    )
    session_listeners.register(app, services)


async def post_cards(
    services: Services,
    client: AsyncWebClient,
    respond: AsyncRespond,
    refs: list[PeerRef],
    channel_id: str | None,
    user_id: str | None,
    body: dict[str, Any],
) -> None:
    """One card per peer where the command was typed; errors replace the "Fetching…" note."""
    errors: list[dict[str, Any]] = []
    posted = 0
    for ref in refs[:MAX_CARDS]:
        outcome = await summary_card(services, ref, channel_id=channel_id)
        if not outcome.ok:
            errors.extend(outcome.payload.get("blocks", []))
            continue
        await respond_or_fallback(
            respond,
            client,
            outcome.payload,
            channel=channel_id,
            user=user_id,
            response_type="in_channel",
        )
        posted += 1
        await remember(services, body, ref, outcome)
    note: dict[str, Any]
    if errors:
        note = {"text": "Some peer reports could not be fetched.", "blocks": errors[:49]}
    else:
        plural = "s" if posted != 1 else ""
        note = {"text": f"Posted {posted} peer report{plural} in this conversation."}
    if len(refs) > MAX_CARDS:
        extra = render_peer_list(refs, shown=MAX_CARDS)
        note = {
            "text": note["text"] + " " + extra["text"],
            "blocks": [*note.get("blocks", []), *extra["blocks"]][:50],
        }
    await respond_or_fallback(
        respond,
        client,
        note,
        channel=channel_id,
        user=user_id,
        response_type="ephemeral",
        replace_original=True,
    )
