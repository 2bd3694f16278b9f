"""Posting files into the conversation: the raw report (JSON) and the quality chart (PNG).

Both go into the thread of the card (or the conversation where ``/peer-report … raw`` was
typed); both say why when they cannot: no conversation to post into, no data to chart, the
bot not in the channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.ids import PeerRef
from bot.realtimekit.errors import PeerReportError
from bot.render.forms import render_error, render_nothing_to_chart, render_upload_refused
from bot.slack.deliver import respond_or_fallback, slack_error
from bot.slack.lookups import fetch
from bot.slack.services import Services

if TYPE_CHECKING:
    from bot.realtimekit.client import FetchedReport

log = logging.getLogger("bot.slack")

Respond = Callable[..., Awaitable[Any]]


async def _say(respond: Respond, payload: dict[str, Any]) -> None:
    await respond(**payload, response_type="ephemeral", replace_original=False)


async def _report(
    services: Services, ref: PeerRef, channel: str | None, respond: Respond, what: str
) -> FetchedReport | None:
    """The report to post, or None after saying why not (no conversation, fetch failed)."""
    if channel is None:
        await _say(respond, render_upload_refused("no channel", ref, what=what))
        return None
    try:
        return await fetch(services, ref)
    except PeerReportError as exc:
        await _say(respond, render_error(str(exc)))
        return None


async def _upload(
    client: AsyncWebClient,
    ref: PeerRef,
    *,
    channel: str,
    thread_ts: str | None,
    respond: Respond,
    user_id: str | None,
    what: str,
    **file: Any,
) -> None:
    """``files_upload_v2`` into the conversation; a refusal is explained where the user is."""
    try:
        await client.files_upload_v2(channel=channel, thread_ts=thread_ts, **file)
    except SlackApiError as exc:
        error = slack_error(exc)
        log.warning("%s upload refused: %s", what, error)
        await respond_or_fallback(
            respond,
            client,
            render_upload_refused(error, ref, what=what),
            channel=channel,
            user=user_id,
        )


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

    report = await _report(services, ref, channel, respond, "raw")
    if report is None or channel is None:
        return
    show_ip = services.show_ip_in(ip_channel)
    masked = "" if show_ip else " IP addresses and city are masked."
    peer = ref.peer_id
    await _upload(
        client,
        ref,
        channel=channel,
        thread_ts=thread_ts,
        respond=respond,
        user_id=user_id,
        what="raw",
        content=render_raw_json(report.participant, show_ip=show_ip, raw=report.raw),
        filename=f"peer-report-{peer}.json",
        title=f"Raw peer report {peer}",
        initial_comment=f"Raw peer report for peer `{peer}`.{masked}",
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
    from bot.render.chart import render_chart_png
    from bot.render.summary import has_quality_samples

    report = await _report(services, ref, channel, respond, "chart")
    if report is None or channel is None:
        return
    if not has_quality_samples(report.participant):
        await _say(respond, render_nothing_to_chart(ref))
        return
    png = await asyncio.to_thread(render_chart_png, report.participant)
    name = report.participant.display_name or ref.peer_id
    await _upload(
        client,
        ref,
        channel=channel,
        thread_ts=thread_ts,
        respond=respond,
        user_id=user_id,
        what="chart",
        content=png,
        filename=f"peer-report-{ref.peer_id}-quality.png",
        title=f"Quality over time — {name}"[:250],
        alt_txt="MOS, packet loss and round-trip time over the call, per track kind",
        initial_comment=f"Quality over time for peer `{ref.peer_id}`.",
    )
