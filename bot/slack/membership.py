"""Is this user from another organisation? ``users.info`` answers when the payload does not.

Slack Connect payloads do not all name the user's own team (a slash command may carry only the
host workspace's ``team_id``; a ``link_shared`` event only the user ID). For those,
:class:`Membership` asks ``users.info`` once per user and remembers the answer for a few
minutes. A user is external when Slack calls them a stranger, or when their ``team_id`` is not
the installing team and they are not in the installation's Enterprise Grid organisation.

When ``users.info`` fails, the payload's own hint stands (:attr:`Requester.suggested_external`):
refused only if some team in the payload already differed, else allowed, and logged either way.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import TYPE_CHECKING, Any

from cachetools import TTLCache
from slack_sdk.errors import SlackApiError

from bot.slack.access import Requester, requester_from

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncBoltContext
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.config import Settings
    from bot.slack.services import Services

log = logging.getLogger("bot.slack")

#: How long one ``users.info`` answer is trusted (seconds).
MEMBER_TTL = 300.0
#: Users remembered at once (bounded memory).
MEMBER_MAXSIZE = 10_000
#: ``users.info`` may run on the 3 s ack path: give up well before that.
LOOKUP_TIMEOUT = 1.5


def external_member(member: dict[str, Any], who: Requester) -> bool:
    """Whether ``users.info``'s ``user`` object is from another organisation than ``who``'s app."""
    if member.get("is_stranger"):
        return True
    team = member.get("team_id")
    if not team or team == who.installing_team_id:
        return False
    grid = member.get("enterprise_user")
    if isinstance(grid, dict):
        if who.installing_enterprise_id and grid.get("enterprise_id") == (
            who.installing_enterprise_id
        ):
            return False
        if who.installing_team_id in (grid.get("teams") or []):
            return False
    return True


class Membership:
    """``users.info`` answers, cached per (installing team, user) for :data:`MEMBER_TTL`."""

    def __init__(self, ttl: float = MEMBER_TTL, maxsize: int = MEMBER_MAXSIZE) -> None:
        self._known: TTLCache[tuple[str, str], bool] = TTLCache(maxsize=maxsize, ttl=ttl)
        self._pending: dict[tuple[str, str], asyncio.Future[bool | None]] = {}

    async def resolve(
        self, client: AsyncWebClient, who: Requester, settings: Settings
    ) -> Requester:
        """``who`` with ``external`` settled, asking ``users.info`` only when needed."""
        if (
            settings.allow_external_users
            or who.external is not None
            or not who.user_id
            or not who.installing_team_id
        ):
            return who
        key = (who.installing_team_id, who.user_id)
        if key in self._known:
            return dataclasses.replace(who, external=self._known[key])
        pending = self._pending.get(key)
        if pending is not None:
            answer = await asyncio.shield(pending)
        else:
            future: asyncio.Future[bool | None] = asyncio.get_running_loop().create_future()
            self._pending[key] = future
            try:
                answer = await self._ask(client, who.user_id, who)
                if answer is not None:
                    self._known[key] = answer
                future.set_result(answer)
            finally:
                self._pending.pop(key, None)
                if not future.done():
                    future.set_result(None)
        return who if answer is None else dataclasses.replace(who, external=answer)

    async def _ask(self, client: AsyncWebClient, user: str, who: Requester) -> bool | None:
        try:
            info = await asyncio.wait_for(client.users_info(user=user), LOOKUP_TIMEOUT)
        except SlackApiError as exc:
            reason = str(exc.response.get("error") or "error")
        except (TimeoutError, OSError) as exc:
            reason = type(exc).__name__
        else:
            member = info.get("user")
            if isinstance(member, dict):
                return external_member(member, who)
            reason = "no user in the answer"
        log.warning(
            "users.info failed for user=%s (%s): %s on the payload's hint",
            who.user_id,
            reason,
            "refusing" if who.suggested_external else "allowing",
        )
        return None


def installation(context: AsyncBoltContext) -> tuple[str | None, str | None]:
    """``(team_id, enterprise_id)`` of the installation answering this request."""
    result = context.authorize_result
    if result is not None:
        return result.team_id, result.enterprise_id
    return context.team_id, context.enterprise_id


def checked_requester(body: dict[str, Any], context: AsyncBoltContext) -> Requester:
    """The requester the access middleware let through (or, outside it, read from the payload)."""
    who = context.get("requester")
    if isinstance(who, Requester):
        return who
    team, enterprise = installation(context)
    return requester_from(body, team, enterprise)


async def requester(
    services: Services, client: AsyncWebClient, body: dict[str, Any], context: AsyncBoltContext
) -> Requester:
    """Who is asking, with "from another organisation?" settled (payload or ``users.info``)."""
    team, enterprise = installation(context)
    who = requester_from(body, team, enterprise)
    return await services.members.resolve(client, who, services.settings)
