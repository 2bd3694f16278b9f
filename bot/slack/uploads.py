"""Posting files into the conversation: the raw report (JSON) and the quality chart (PNG).

Both go into the thread of the card (or the conversation where ``/peer-report … raw`` was
typed); both say why when they cannot: no conversation to post into, no data to chart, the
bot not in the channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.ids import PeerRef
from bot.realtimekit.errors import PeerReportError
from bot.render.forms import render_error, render_nothing_to_chart, render_upload_refused
from bot.slack.deliver import respond_or_fallback, slack_error
from bot.slack.lookups import fetch
from bot.slack.services import Services

log = logging.getLogger("bot.slack")

Respond = Callable[..., Awaitable[Any]]


async def _say(respond: Respond, payload: dict[str, Any]) -> None:
    await respond(**payload, response_type="ephemeral", replace_original=False)


async def post_raw(
    client: AsyncWebClient,
    services: Services,
    ref: PeerRef,
    *,
    channel: str | None,
    thread_ts: str | None,
    respond: Respond,
    user_id: str | None,
    ip_channel: str | None,
) -> None:
    """Upload the report as JSON (masked unless the channel may see IPs).

    ``ip_channel`` is the channel the request itself came from (never one carried in a
    button value): only it decides whether full IPs may be shown.
    """
    from bot.render.sections import render_raw_json

    if channel is None:
        await _say(respond, render_upload_refused("no channel", ref))
        return
    try:
        report = await fetch(services, ref)
    except PeerReportError as exc:
        await _say(respond, render_error(str(exc)))
        return
    show_ip = services.show_ip_in(ip_channel)
    masked = "" if show_ip else " IP addresses and city are masked."
    peer = ref.peer_id
    try:
        await client.files_upload_v2(
            channel=channel,
            thread_ts=thread_ts,
            content=render_raw_json(report.participant, show_ip=show_ip, raw=report.raw),
            filename=f"peer-report-{peer}.json",
            title=f"Raw peer report {peer}",
            initial_comment=f"Raw peer report for peer `{peer}`.{masked}",
        )
    except SlackApiError as exc:
        error = slack_error(exc)
        log.warning("raw upload refused: %s", error)
        await respond_or_fallback(
            respond, client, render_upload_refused(error, ref), channel=channel, user=user_id
        )


async def post_chart(
    client: AsyncWebClient,
    services: Services,
    ref: PeerRef,
    *,
    channel: str | None,
    thread_ts: str | None,
    respond: Respond,
    user_id: str | None,
) -> None:
    """Draw the quality-over-time PNG off the event loop and upload it in the thread."""
    from bot.render.summary import has_quality_samples

    if channel is None:
        await _say(respond, render_upload_refused("no channel", ref, what="chart"))
        return
    try:
        report = await fetch(services, ref)
    except PeerReportError as exc:
        await _say(respond, render_error(str(exc)))
        return
    if not has_quality_samples(report.participant):
        await _say(respond, render_nothing_to_chart(ref))
        return
    from bot.render.chart import render_chart_png

    png = await asyncio.to_thread(render_chart_png, report.participant)
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
            respond,
            client,
            render_upload_refused(error, ref, what="chart"),
            channel=channel,
            user=user_id,
        )
