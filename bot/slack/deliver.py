"""Getting an answer in front of the user even when Slack refuses the first attempt.

* ``msg_too_long`` / ``invalid_blocks`` / ``msg_blocks_too_long``: retry with a smaller card
  (the first blocks only), then with the plain-text fallback: the answer is never lost.
* ``channel_not_found`` / ``not_in_channel``: :class:`NotInChannelError`, so the listener can
  tell the user how to invite the bot.
* An expired ``response_url``: fall back to ``chat.postEphemeral``, then ``chat.postMessage``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger("bot.slack")

SHRINKABLE = {"msg_too_long", "invalid_blocks", "msg_blocks_too_long", "invalid_attachments"}
NOT_IN_CHANNEL = {"channel_not_found", "not_in_channel", "is_archived"}
SMALL_CARD_BLOCKS = 8


class NotInChannelError(Exception):
    """The bot cannot post in that conversation."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def slack_error(exc: SlackApiError) -> str:
    """Slack's error code (``not_in_channel``…), or a short description when there is none."""
    data = getattr(exc.response, "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return "unexpected_response"


def smaller(payload: dict[str, Any]) -> dict[str, Any]:
    """The same card cut to its first blocks (header, who, verdicts) plus a note."""
    blocks = list(payload.get("blocks") or [])[: SMALL_CARD_BLOCKS - 1]
    blocks.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": "Slack refused the full card; this is a shortened version.",
                }
            ],
        }
    )
    return {"text": payload.get("text", ""), "blocks": blocks}


def text_only(payload: dict[str, Any], reason: str) -> dict[str, Any]:
    text = str(payload.get("text") or "Peer report")
    return {"text": f"{text}\n_(Slack refused the card: {reason}; plain text shown instead.)_"}


async def _attempts(
    send: Callable[[dict[str, Any]], Awaitable[Any]], payload: dict[str, Any]
) -> Any:
    last_error = ""
    for attempt in (payload, smaller(payload), None):
        body = attempt if attempt is not None else text_only(payload, last_error)
        try:
            return await send(body)
        except SlackApiError as exc:
            error = slack_error(exc)
            if error in NOT_IN_CHANNEL:
                raise NotInChannelError(error) from None
            if error not in SHRINKABLE or attempt is None:
                raise
            log.warning("Slack refused a message (%s); retrying smaller", error)
            last_error = error
    return None  # pragma: no cover - the loop always returns or raises


async def post_message(
    client: AsyncWebClient,
    *,
    channel: str,
    payload: dict[str, Any],
    thread_ts: str | None = None,
) -> str | None:
    """chat.postMessage with the fallbacks above; returns the message ts."""

    async def send(body: dict[str, Any]) -> Any:
        return await client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, unfurl_links=False, unfurl_media=False, **body
        )

    response = await _attempts(send, payload)
    ts = response.get("ts") if response is not None else None
    return str(ts) if ts else None


async def update_message(
    client: AsyncWebClient, *, channel: str, ts: str, payload: dict[str, Any]
) -> None:
    """chat.update with the same fallbacks."""

    async def send(body: dict[str, Any]) -> Any:
        return await client.chat_update(channel=channel, ts=ts, **body)

    await _attempts(send, payload)


async def respond_or_fallback(
    respond: Callable[..., Awaitable[Any]],
    client: AsyncWebClient,
    payload: dict[str, Any],
    *,
    channel: str | None,
    user: str | None,
    response_type: str = "ephemeral",
    replace_original: bool = False,
    thread_ts: str | None = None,
) -> None:
    """Send through the response_url; if it has expired, use the Web API instead.

    An ephemeral answer falls back to ``chat.postEphemeral`` only (never public); an
    ``in_channel`` answer falls back to ``chat.postMessage``.
    """
    try:
        result = await respond(
            response_type=response_type,
            replace_original=replace_original,
            **payload,
        )
        status = getattr(result, "status_code", 200)
        if status < 300:
            return
        log.warning("response_url refused the answer (HTTP %s); falling back", status)
    except Exception as exc:  # noqa: BLE001 - any transport failure gets the fallback
        log.warning("response_url failed (%s); falling back", type(exc).__name__)
    if channel is None:
        log.error("an answer could not be delivered: no response_url and no channel")
        return
    if response_type == "ephemeral":
        # Ephemeral answers may hold what only the requester should see: never go public.
        if not user:
            log.error("an ephemeral answer could not be delivered: no user to address")
            return
        await client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **payload)
        return
    await post_message(client, channel=channel, payload=payload, thread_ts=thread_ts)
