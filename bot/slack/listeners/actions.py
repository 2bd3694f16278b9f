"""Buttons on the card and inside the drill-down modals."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.ids import IdError, PeerRef, validate_app_id, validate_peer_id
from bot.render import actions as ids
from bot.render.forms import render_error, render_upload_refused
from bot.slack import drilldown
from bot.slack.access import denial, requester_from
from bot.slack.deliver import respond_or_fallback, slack_error, update_message
from bot.slack.lazy import ack_only, guarded
from bot.slack.listeners.commands import installing_team
from bot.slack.lookups import fetch, summary_card
from bot.slack.services import Services

log = logging.getLogger("bot.slack")

SECTION_OF = {
    ids.EVENTS: "events",
    ids.PAIRS: "pairs",
    ids.QUALITY: "quality",
    ids.DEVICE: "device",
}


def _action(body: dict[str, Any]) -> dict[str, Any]:
    acts = body.get("actions") or [{}]
    return acts[0] if isinstance(acts[0], dict) else {}


def ref_of(body: dict[str, Any]) -> tuple[PeerRef, dict[str, Any]]:
    """The peer a button is about, re-validated: values come back from the client."""
    value = ids.decode_value(str(_action(body).get("value") or ""))
    ref = PeerRef(app_id=validate_app_id(value.app_id), peer_id=validate_peer_id(value.peer_id))
    return ref, dict(value.extra)


def _where(body: dict[str, Any]) -> tuple[str | None, str | None, bool, str | None]:
    """(channel, message ts, is_ephemeral, view id) of the surface that held the button."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    message = body.get("message") or {}
    ts = container.get("message_ts") or message.get("ts")
    view = body.get("view") or {}
    return channel, ts, bool(container.get("is_ephemeral")), view.get("id")


def register(app: AsyncApp, services: Services) -> None:
    async def guard(
        body: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
    ) -> tuple[PeerRef, dict[str, Any]] | None:
        who = requester_from(body, installing_team(context))
        refused = denial(services.settings, who)
        if refused:
            log.warning("denied button: user=%s channel=%s", who.user_id, who.channel_id)
            await respond(text=refused, response_type="ephemeral", replace_original=False)
            return None
        try:
            return ref_of(body)
        except (IdError, ValueError):
            log.warning("rejected a button with a malformed value from user=%s", who.user_id)
            await respond(
                **render_error("That button's data was not valid; run /peer-report again."),
                response_type="ephemeral",
                replace_original=False,
            )
            return None

    async def on_section(
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        found = await guard(body, respond, context)
        if found is None:
            return
        ref, extra = found
        channel, _, _, view_id = _where(body)
        section = SECTION_OF[str(_action(body).get("action_id"))]
        in_modal = view_id is not None
        channel = channel or extra.get("c")
        await drilldown.open_section(
            client,
            services,
            trigger_id=body.get("trigger_id"),
            ref=ref,
            section=section,
            channel_id=channel,
            user_id=(body.get("user") or {}).get("id"),
            respond=respond,
            push=in_modal,
        )

    async def on_page(
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        found = await guard(body, respond, context)
        if found is None:
            return
        ref, extra = found
        _, _, _, view_id = _where(body)
        section = str(extra.get("s") or "events")
        page = int(extra.get("pg") or 1)
        channel = extra.get("c")
        view = await drilldown.section_view(services, ref, section, channel_id=channel, page=page)
        if view_id:
            await client.views_update(view_id=view_id, view=view)

    async def on_refresh(
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        found = await guard(body, respond, context)
        if found is None:
            return
        ref, _ = found
        channel, ts, ephemeral, view_id = _where(body)
        async with services.inflight.track():
            outcome = await summary_card(services, ref, channel_id=channel, refresh=True)
            if not outcome.ok:
                await respond(**outcome.payload, response_type="ephemeral", replace_original=False)
                return
            if view_id:
                from bot.render.forms import render_summary_view

                await client.views_update(
                    view_id=view_id, view=render_summary_view(outcome.payload)
                )
            elif ephemeral or not (channel and ts):
                await respond(**outcome.payload, replace_original=True)
            else:
                await update_message(client, channel=channel, ts=ts, payload=outcome.payload)

    async def on_raw(
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        found = await guard(body, respond, context)
        if found is None:
            return
        ref, extra = found
        channel, ts, ephemeral, _ = _where(body)
        channel = channel or extra.get("c")
        message = body.get("message") or {}
        thread_ts = message.get("thread_ts") or ts
        user_id = (body.get("user") or {}).get("id")
        async with services.inflight.track():
            try:
                report = await fetch(services, ref)
            except Exception as exc:  # noqa: BLE001 - shown to the user below
                await respond(**render_error(str(exc)), response_type="ephemeral")
                return
            from bot.render.sections import render_raw_json

            show_ip = services.show_ip_in(channel)
            content = render_raw_json(report.participant, show_ip=show_ip)
            masked = "" if show_ip else " IP addresses and city are masked."
            if channel is None:
                await respond(**render_upload_refused("no channel", ref), response_type="ephemeral")
                return
            try:
                await client.files_upload_v2(
                    channel=channel,
                    thread_ts=None if ephemeral else thread_ts,
                    content=content,
                    filename=f"peer-report-{ref.peer_id}.json",
                    title=f"Raw peer report {ref.peer_id}",
                    initial_comment=f"Raw peer report for peer `{ref.peer_id}`.{masked}",
                )
            except SlackApiError as exc:
                error = slack_error(exc)
                log.warning("raw upload refused: %s (%s)", error, exc)
                await respond_or_fallback(
                    respond,
                    client,
                    render_upload_refused(error, ref),
                    channel=channel,
                    user=user_id,
                )

    async def on_reveal_ip(
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        """Full IP details, ephemeral, to the requester who explicitly asked."""
        found = await guard(body, respond, context)
        if found is None:
            return
        ref, extra = found
        channel, _, _, _ = _where(body)
        channel = channel or extra.get("c")
        user_id = (body.get("user") or {}).get("id")
        try:
            report = await fetch(services, ref)
        except Exception as exc:  # noqa: BLE001
            await respond(**render_error(str(exc)), response_type="ephemeral")
            return
        from bot.render.sections import render_section_blocks

        payload = render_section_blocks(
            report.participant, "device", app_id=ref.app_id, show_ip=True, page=1, raw=None
        )
        payload["text"] = "Only you can see this: " + str(payload.get("text", ""))
        if channel and user_id:
            await client.chat_postEphemeral(channel=channel, user=user_id, **payload)
        else:
            await respond(**payload, response_type="ephemeral", replace_original=False)

    async def on_chart(
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        found = await guard(body, respond, context)
        if found is None:
            return
        ref, extra = found
        channel, ts, ephemeral, _ = _where(body)
        channel = channel or extra.get("c")
        message = body.get("message") or {}
        async with services.inflight.track():
            from bot.slack.charts import post_chart

            await post_chart(
                client,
                services,
                ref,
                channel=channel,
                thread_ts=None if ephemeral else (message.get("thread_ts") or ts),
                respond=respond,
                user_id=(body.get("user") or {}).get("id"),
            )

    async def on_reopen(
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        """App Home "Reopen": the summary card in a modal (the Home tab holds no channel)."""
        found = await guard(body, respond, context)
        if found is None:
            return
        ref, _ = found
        from bot.render.forms import render_loading_view, render_summary_view

        async with services.inflight.track():
            view_id = await drilldown.open_view(
                client,
                body.get("trigger_id"),
                render_loading_view("summary", ref.peer_id),
                respond=None,
                channel_id=None,
                user_id=(body.get("user") or {}).get("id"),
            )
            if view_id is None:
                return
            outcome = await summary_card(services, ref, channel_id=None)
            await client.views_update(view_id=view_id, view=render_summary_view(outcome.payload))

    for action_id in SECTION_OF:
        app.action(action_id)(ack=ack_only, lazy=[guarded(on_section)])
    for action_id, work in (
        (ids.PAGE_PREV, on_page),
        (ids.PAGE_NEXT, on_page),
        (ids.REFRESH, on_refresh),
        (ids.RAW, on_raw),
        (ids.REVEAL_IP, on_reveal_ip),
        (ids.CHART, on_chart),
        (ids.REOPEN, on_reopen),
    ):
        app.action(action_id)(ack=ack_only, lazy=[guarded(work)])
    app.action(ids.LINK)(ack_only)
