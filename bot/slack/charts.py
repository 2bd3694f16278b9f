"""The Chart button: draw the quality-over-time PNG off the event loop, upload it in the thread."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.ids import PeerRef
from bot.realtimekit.errors import PeerReportError
from bot.render.forms import render_error, render_upload_refused
from bot.slack.deliver import respond_or_fallback, slack_error
from bot.slack.lookups import fetch
from bot.slack.services import Services

log = logging.getLogger("bot.slack")


async def post_chart(
    client: AsyncWebClient,
    services: Services,
    ref: PeerRef,
    *,
    channel: str | None,
    thread_ts: str | None,
    respond: Callable[..., Awaitable[Any]],
    user_id: str | None,
) -> None:
    try:
        report = await fetch(services, ref)
    except PeerReportError as exc:
        await respond(**render_error(str(exc)), response_type="ephemeral", replace_original=False)
        return
    from bot.render.chart import render_chart_png

    png = await asyncio.to_thread(render_chart_png, report.participant)
    if channel is None:
        await respond(**render_upload_refused("no channel", ref), response_type="ephemeral")
        return
    name = report.participant.display_name or ref.peer_id
    try:
        await client.files_upload_v2(
            channel=channel,
            thread_ts=thread_ts,
            content=png,
            filename=f"peer-report-{ref.peer_id}-quality.png",
            title=f"Quality over time — {name}"[:250],
            alt_txt="MOS, packet loss and round-trip time over the call, per track kind",
            initial_comment=f"Quality over time for peer `{ref.peer_id}`.",
        )
    except SlackApiError as exc:
        error = slack_error(exc)
        log.warning("chart upload refused: %s", error)
        await respond_or_fallback(
            respond, client, render_upload_refused(error, ref), channel=channel, user=user_id
        )
