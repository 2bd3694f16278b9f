"""Who may use the bot: allowlists and Slack Connect (external organisation) users.

Pure: takes the facts from the request, returns ``None`` (allowed) or the polite sentence to
show. Denials are logged by the caller with user and channel IDs only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings


@dataclass(frozen=True)
class Requester:
    user_id: str | None
    user_team_id: str | None
    channel_id: str | None
    installing_team_id: str | None


def requester_from(body: dict[str, Any], installing_team_id: str | None) -> Requester:
    """Read who is asking from any Slack payload (command, interaction or event)."""
    user = body.get("user")
    user_id = body.get("user_id")
    user_team = body.get("user_team_id")
    if isinstance(user, dict):
        user_id = user_id or user.get("id")
        user_team = user_team or user.get("team_id")
    elif isinstance(user, str):
        user_id = user_id or user
    event = body.get("event")
    if isinstance(event, dict):
        user_id = user_id or event.get("user")
        user_team = user_team or event.get("user_team")
    if user_team is None and "command" in body:
        user_team = body.get("team_id")
    channel = body.get("channel_id")
    if channel is None:
        raw_channel = body.get("channel")
        if isinstance(raw_channel, dict):
            channel = raw_channel.get("id")
        elif isinstance(event, dict):
            channel = event.get("channel")
        container = body.get("container")
        if channel is None and isinstance(container, dict):
            channel = container.get("channel_id")
    return Requester(
        user_id=user_id if isinstance(user_id, str) else None,
        user_team_id=user_team if isinstance(user_team, str) else None,
        channel_id=channel if isinstance(channel, str) else None,
        installing_team_id=installing_team_id,
    )


def denial(settings: Settings, who: Requester) -> str | None:
    """``None`` when ``who`` may use the bot here, else the sentence to show them."""
    if (
        not settings.allow_external_users
        and who.user_team_id
        and who.installing_team_id
        and who.user_team_id != who.installing_team_id
    ):
        return (
            "Sorry, peer reports are only available to members of the workspace that "
            "installed this app, not to guests from other organisations in shared channels."
        )
    if settings.allowed_users and who.user_id not in settings.allowed_users:
        return (
            "Sorry, you are not on this app's list of allowed users. Ask a workspace admin "
            "to add you to PEER_REPORT_ALLOWED_USERS."
        )
    if (
        settings.allowed_channels
        and who.channel_id
        and who.channel_id not in settings.allowed_channels
    ):
        return (
            "Peer reports are not enabled in this channel. Use the app in one of the allowed "
            "channels, or ask an admin to add this one to PEER_REPORT_ALLOWED_CHANNELS."
        )
    return None
