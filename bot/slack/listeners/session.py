"""Whole-call triage in Slack: ``/peer-report session …``, "Open card" and "Whole call".

* ``/peer-report session [APP] SESSION`` (or ``APP session SESSION``, or a session URL): the
  ack carries an ephemeral "Triaging…" note; the note shows progress (``9 of 14 reports``,
  updated at most every :data:`PROGRESS_INTERVAL` seconds) and is replaced by a confirmation
  once the session card is posted where the command was typed.
* ``peer_report.open_peer`` (on a session card): that peer's card in the card's thread.
* ``peer_report.session`` ("Whole call", on a peer card; value ``{"a": APP, "s": SESSION}``):
  the session card in the peer card's thread.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.ids import IdError, PeerRef, SessionRef, parse_session_ref
from bot.realtimekit.errors import PeerReportError
from bot.render.actions import OPEN_PEER, decode_value
from bot.render.forms import render_error, render_usage_error
from bot.render.session import (
    SESSION_ACTION,
    decode_session_value,
    render_session_blocks,
    render_session_done,
    render_session_fetching,
    render_session_progress,
)
from bot.slack.deliver import post_message, respond_or_fallback
from bot.slack.lazy import ack_only, bound, guarded
from bot.slack.services import Services

log = logging.getLogger("bot.slack")

#: Seconds between two progress updates of the "Triaging…" note (at most one per interval).
PROGRESS_INTERVAL = 2.0

UNEXPECTED = (
    "Something went wrong while triaging this session. It has been logged; try again, or run "
    "`peer-report session {app} {session}` from a terminal."
)


async def ack_session(
    ack: AsyncAck, text: str, context: AsyncBoltContext, services: Services
) -> None:
    """Validate the session reference (no request for bad input) and leave a plan."""
    try:
        ref = parse_session_ref(
            text,
            default_app=services.default_app(context.team_id),
            aliases=services.settings.realtimekit_apps,
        )
    except IdError as exc:
        await ack(**render_usage_error(str(exc)))
        return
    await ack(**render_session_fetching(ref))
    context["plan"] = {"kind": "session", "app": ref.app_id, "session": ref.session_id}


async def triage_card(
    services: Services,
    ref: SessionRef,
    respond: AsyncRespond,
    *,
    owns_note: bool = True,
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Run the triage; ``(card, confirmation)``, or None (the error was shown).

    ``owns_note``: the response_url's original message is our ephemeral "Triaging…" note (a
    slash command), so progress may replace it. From a button, the original message is the
    card that held the button, which must never be replaced: no progress updates then.
    """
    from bot.triage.sources import backend_for, run_triage

    last = time.monotonic()
    shown = 0
    sending = asyncio.Lock()

    async def progress(done: int, total: int) -> None:
        """At most one update per interval, in order (a late, smaller count is dropped)."""
        nonlocal last, shown
        if not owns_note or done >= total:
            return
        async with sending:
            now = time.monotonic()
            if now - last < PROGRESS_INTERVAL or done <= shown:
                return
            last, shown = now, done
            await respond(
                **render_session_progress(ref, done, total),
                response_type="ephemeral",
                replace_original=True,
            )

    try:
        backend = backend_for(services.source, ref, demo=services.demo)
        triage = await run_triage(backend, ref, progress=progress)
        return render_session_blocks(triage), render_session_done(triage)
    except PeerReportError as exc:
        log.info("session triage failed for app=%s: %s", ref.app_id, type(exc).__name__)
        message = f"Session {ref.session_id}: {exc}"
    except Exception:
        log.exception("unexpected failure triaging app=%s session=%s", ref.app_id, ref.session_id)
        message = UNEXPECTED.format(app=ref.app_id, session=ref.session_id)
    await respond(**render_error(message), response_type="ephemeral", replace_original=owns_note)
    return None


async def run_session(
    services: Services,
    client: AsyncWebClient,
    respond: AsyncRespond,
    ref: SessionRef,
    *,
    channel_id: str | None,
    user_id: str | None,
    thread_ts: str | None = None,
) -> None:
    """The session card where it was asked for, then the note becomes a confirmation."""
    in_thread = bool(thread_ts and channel_id)
    async with services.inflight.track():
        answer = await triage_card(services, ref, respond, owns_note=not in_thread)
        if answer is None:
            return
        card, done = answer
        if in_thread and channel_id:
            await post_message(client, channel=channel_id, payload=card, thread_ts=thread_ts)
            return
        await respond_or_fallback(
            respond, client, card, channel=channel_id, user=user_id, response_type="in_channel"
        )
        await respond_or_fallback(
            respond,
            client,
            done,
            channel=channel_id,
            user=user_id,
            response_type="ephemeral",
            replace_original=True,
        )


async def peer_card(
    services: Services, ref: PeerRef, channel_id: str | None
) -> tuple[dict[str, Any], bool]:
    """One peer's summary card (a bundled session's peer in demo mode), and whether it worked."""
    from bot.slack.lookups import summary_card

    if services.demo:
        from bot.samples.sessions import DemoSession, session_for_peer

        name = session_for_peer(ref.peer_id)
        if name is not None:
            from bot.health import assess
            from bot.render.summary import render_summary

            report = await DemoSession(name).fetch(ref.app_id, ref.peer_id)
            assessment = assess(report.participant, app_id=ref.app_id)
            card = render_summary(
                report.participant,
                assessment,
                app_id=ref.app_id,
                show_ip=services.show_ip_in(channel_id),
            )
            return card, True
    outcome = await summary_card(services, ref, channel_id=channel_id)
    return outcome.payload, outcome.ok


def _click(body: dict[str, Any]) -> tuple[str, str | None, str | None, str | None]:
    """``(value, channel, thread_ts, user)`` of a button press on a message."""
    actions = body.get("actions") or [{}]
    action = actions[0] if isinstance(actions[0], dict) else {}
    container = body.get("container") or {}
    message = body.get("message") or {}
    ts = container.get("message_ts") or message.get("ts")
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    thread = None if container.get("is_ephemeral") else (message.get("thread_ts") or ts)
    return str(action.get("value") or ""), channel, thread, (body.get("user") or {}).get("id")


async def bad_value(respond: AsyncRespond) -> None:
    await respond(
        **render_error("That button's data was not valid; run /peer-report again."),
        response_type="ephemeral",
        replace_original=False,
    )


async def on_open_peer(
    services: Services,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    value, channel, thread, _user = _click(body)
    try:
        decoded = decode_value(value)
        ref = PeerRef(decoded.app_id, decoded.peer_id)
    except (IdError, ValueError):
        await bad_value(respond)
        return
    async with services.inflight.track():
        payload, ok = await peer_card(services, ref, channel)
        if ok and channel and thread:
            await post_message(client, channel=channel, payload=payload, thread_ts=thread)
        else:
            await respond(**payload, response_type="ephemeral", replace_original=False)


async def on_session(
    services: Services,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    value, channel, thread, user = _click(body)
    try:
        ref = decode_session_value(value)
    except (IdError, ValueError):
        await bad_value(respond)
        return
    note = render_session_fetching(ref)
    note.pop("response_type", None)
    await respond(**note, response_type="ephemeral", replace_original=False)
    await run_session(
        services, client, respond, ref, channel_id=channel, user_id=user, thread_ts=thread
    )


def register(app: AsyncApp, services: Services) -> None:
    app.action(OPEN_PEER)(ack=ack_only, lazy=[guarded(bound(services, on_open_peer))])
    app.action(SESSION_ACTION)(ack=ack_only, lazy=[guarded(bound(services, on_session))])
