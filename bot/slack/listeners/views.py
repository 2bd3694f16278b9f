"""The lookup modal's submission: access check, inline validation, then the card in the modal.

The submission is checked like every other entry point: the request's own user against the
allowlists, and the channel kept in ``private_metadata`` (where the modal was opened) against
the channel allowlist. That channel is never trusted to show full IPs: the card in the modal is
masked (the "Show full IP (only to me)" button remains).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.ids import IdError, PeerRef, validate_app_id, validate_peer_id
from bot.render.actions import LOOKUP_APP_BLOCK, LOOKUP_MODAL, LOOKUP_PEER_BLOCK
from bot.render.forms import render_loading_view, render_summary_view
from bot.slack.access import denial
from bot.slack.drilldown import notice_view
from bot.slack.lazy import bound, guarded
from bot.slack.lookups import summary_card
from bot.slack.membership import checked_requester
from bot.slack.recent import remember
from bot.slack.services import Services

log = logging.getLogger("bot.slack")


def _value(state: dict[str, Any], block_id: str) -> str:
    """The one input's value in ``block_id`` (text input or static select)."""
    block = state.get(block_id) or {}
    for element in block.values():
        if not isinstance(element, dict):
            continue
        if element.get("selected_option"):
            return str(element["selected_option"].get("value") or "").strip()
        if element.get("value") is not None:
            return str(element["value"]).strip()
    return ""


def read_lookup(
    state: dict[str, Any], services: Services, team_id: str | None = None
) -> tuple[PeerRef | None, dict[str, str]]:
    """The peer the modal asks for, or the inline errors keyed by block_id."""
    settings = services.settings
    errors: dict[str, str] = {}
    app_text = _value(state, LOOKUP_APP_BLOCK) or (services.default_app(team_id) or "")
    peer_text = _value(state, LOOKUP_PEER_BLOCK)
    app_id = peer_id = None
    try:
        app_id = validate_app_id(app_text, settings.realtimekit_apps) if app_text else None
        if app_id is None:
            errors[LOOKUP_APP_BLOCK] = "Enter the app ID (a UUID) or a configured app name."
    except IdError as exc:
        errors[LOOKUP_APP_BLOCK] = str(exc)[:150]
    try:
        peer_id = validate_peer_id(peer_text)
    except IdError as exc:
        errors[LOOKUP_PEER_BLOCK] = str(exc)[:150]
    if errors or app_id is None or peer_id is None:
        return None, errors
    return PeerRef(app_id=app_id, peer_id=peer_id), {}


async def ack_lookup(
    services: Services,
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """Check access, validate inline (errors next to the fields), or show a loading view."""
    context["lookup"] = None
    who = checked_requester(body, context)
    carried = str(view.get("private_metadata") or "") or None
    # The middleware checked the request's own user and channel; this is the modal's channel.
    refused = denial(services.settings, dataclasses.replace(who, channel_id=carried))
    if refused:
        log.warning("denied lookup modal: user=%s channel=%s", who.user_id, carried)
        await ack(response_action="update", view=notice_view(refused))
        return
    state = (view.get("state") or {}).get("values") or {}
    ref, errors = read_lookup(state, services, context.team_id)
    if ref is None:
        await ack(response_action="errors", errors=errors)
        return
    await ack(response_action="update", view=render_loading_view("summary", ref.peer_id))
    context["lookup"] = [ref.app_id, ref.peer_id]


async def on_lookup(
    services: Services,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    if not context.get("lookup"):
        return
    app_id, peer_id = context["lookup"]
    ref = PeerRef(app_id=app_id, peer_id=peer_id)
    async with services.inflight.track():
        # channel_id=None: a channel read from private_metadata never unmasks IPs.
        outcome = await summary_card(services, ref, channel_id=None)
        await client.views_update(view_id=view["id"], view=render_summary_view(outcome.payload))
        await remember(services, body, ref, outcome)


def register(app: AsyncApp, services: Services) -> None:
    app.view(LOOKUP_MODAL)(
        ack=bound(services, ack_lookup), lazy=[guarded(bound(services, on_lookup))]
    )
