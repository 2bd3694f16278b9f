"""Drill-down views in modals: open a "Loading…" view inside the trigger's 3 s, then update.

If the trigger has expired (``expired_trigger_id`` and friends), the view's content is sent
as an ephemeral message instead: the click is never silently lost.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.ids import PeerRef
from bot.realtimekit.errors import PeerReportError
from bot.render.forms import render_error, render_loading_view, render_message_from_view
from bot.slack.deliver import respond_or_fallback, slack_error
from bot.slack.lookups import fetch
from bot.slack.services import Services

log = logging.getLogger("bot.slack")

TRIGGER_ERRORS = {"expired_trigger_id", "exchanged_trigger_id", "invalid_trigger_id"}
Respond = Callable[..., Awaitable[Any]]


async def open_view(
    client: AsyncWebClient,
    trigger_id: str | None,
    view: dict[str, Any],
    *,
    respond: Respond | None,
    channel_id: str | None,
    user_id: str | None,
    push: bool = False,
) -> str | None:
    """views.open (or views.push); the view id, or None after falling back to a message."""
    reason = "no trigger_id in the request"
    if trigger_id:
        try:
            opener = client.views_push if push else client.views_open
            response = await opener(trigger_id=trigger_id, view=view)
            return str(response["view"]["id"])
        except SlackApiError as exc:
            reason = slack_error(exc)
            if reason not in TRIGGER_ERRORS and reason != "push_limit_reached":
                raise
    log.info("could not open a modal (%s); answering with an ephemeral message", reason)
    if respond is not None or channel_id:
        await respond_or_fallback(
            respond or _no_respond,
            client,
            render_message_from_view(view),
            channel=channel_id,
            user=user_id,
        )
    return None


async def _no_respond(**_: Any) -> None:
    raise RuntimeError("no response_url")


async def open_section(
    client: AsyncWebClient,
    services: Services,
    *,
    trigger_id: str | None,
    ref: PeerRef,
    section: str,
    channel_id: str | None,
    user_id: str | None,
    respond: Respond | None,
    page: int = 1,
    push: bool = False,
) -> None:
    """Loading modal now, the section's content once the report is at hand (cache first)."""
    async with services.inflight.track():
        view_id = await open_view(
            client,
            trigger_id,
            render_loading_view(section, ref.peer_id),
            respond=None,
            channel_id=None,
            user_id=user_id,
            push=push,
        )
        view = await section_view(services, ref, section, channel_id=channel_id, page=page)
        if view_id is None:
            # The trigger expired: the content goes to the requester as an ephemeral message.
            await respond_or_fallback(
                respond or _no_respond,
                client,
                render_message_from_view(view),
                channel=channel_id,
                user=user_id,
            )
            return
        await client.views_update(view_id=view_id, view=view)


async def section_view(
    services: Services, ref: PeerRef, section: str, *, channel_id: str | None, page: int = 1
) -> dict[str, Any]:
    """The modal for one section, or a modal that explains the failure."""
    from bot.health import assess
    from bot.render.sections import render_section_view

    try:
        report = await fetch(services, ref)
        return render_section_view(
            report.participant,
            section,
            assessment=assess(report.participant, app_id=ref.app_id),
            app_id=ref.app_id,
            show_ip=services.show_ip_in(channel_id),
            page=page,
            channel_id=channel_id,
            peer_id=ref.peer_id,
        )
    except PeerReportError as exc:
        return _error_view(str(exc))
    except Exception:
        log.exception("could not build the %s view for peer %s", section, ref.peer_id)
        return _error_view("Something went wrong while building this view. It has been logged.")


def _error_view(message: str) -> dict[str, Any]:
    payload = render_error(message)
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Peer report"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": payload["blocks"],
    }


def notice_view(message: str) -> dict[str, Any]:
    """A modal that only says something (access denied, nothing to show)."""
    return _error_view(message)
