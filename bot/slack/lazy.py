"""Ack first, work later: Bolt's lazy listeners, with no exception ever lost.

The app runs with ``process_before_response=True``: each listener's ack function is awaited
and its HTTP response returned at once (no polling), and the slow part runs as a lazy
listener task afterwards. ``guarded`` makes sure a failure in that task is logged with its
traceback and shown to the user as one friendly sentence.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck

log = logging.getLogger("bot.slack")

FRIENDLY_ERROR = (
    "Sorry, something went wrong while handling that. It has been logged; please try again."
)

Work = Callable[..., Awaitable[None]]


def guarded(work: Work) -> Work:
    """Wrap a lazy listener: log any exception and tell the user, never a traceback."""

    @functools.wraps(work)
    async def wrapper(**kwargs: Any) -> None:
        try:
            await work(**kwargs)
        except Exception:
            log.exception("unhandled error in %s", work.__name__)
            respond = kwargs.get("respond")
            body = kwargs.get("body") or {}
            if respond is not None and (body.get("response_url") or body.get("response_urls")):
                try:
                    await respond(
                        text=FRIENDLY_ERROR, response_type="ephemeral", replace_original=False
                    )
                except Exception:  # noqa: BLE001 - nothing more we can do; already logged
                    log.warning("could not tell the user about an error")

    return wrapper


def bound(services: object, listener: Work, *more: object) -> Work:
    """A module-level listener ``listener(services, **slack_args)``, ready for Bolt.

    Listeners live at module level, so a unit test can call one with fakes. Bolt injects the
    Slack arguments by the names it reads from the (unwrapped) function; a partial shows
    exactly those, without the services (and ``more``) it carries.
    """
    call = functools.partial(listener, services, *more)
    call.__name__ = listener.__name__  # type: ignore[attr-defined]  # for logs and Bolt
    return call


async def ack_only(ack: AsyncAck) -> None:
    """The ack function of listeners whose whole answer comes later."""
    await ack()
