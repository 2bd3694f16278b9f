"""Who may use the bot: allowlists and Slack Connect (external organisation) users.

Pure: takes the facts from the request, returns ``None`` (allowed) or the polite sentence to
show. Denials are logged by the caller with user and channel IDs only.

Whether the user belongs to another organisation is settled by the payload when it names the
user's own team (``user.team_id``, ``user_team_id``, ``user_team``, ``event.user_team``): same
team as the installation → member; another team outside any Enterprise Grid → external. When
the payload does not settle it (a slash command carries only the workspace's ``team_id``, an
event only the user ID, or Enterprise Grid is involved), ``external`` stays ``None`` and
:mod:`bot.slack.membership` asks ``users.info``; until then ``suggested_external`` (some team
in the payload differs from the installing team) stands in.
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
    #: True/False once known (from the payload or ``users.info``); None: not settled yet.
    external: bool | None = None
    #: Some team named in the payload differs from the installing team.
    suggested_external: bool = False
    #: The installation's Enterprise Grid organisation, if any.
    installing_enterprise_id: str | None = None

    @property
    def is_external(self) -> bool:
        return self.external if self.external is not None else self.suggested_external


def _team_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def requester_from(
    body: dict[str, Any],
    installing_team_id: str | None,
    installing_enterprise_id: str | None = None,
) -> Requester:
    """Read who is asking from any Slack payload (command, interaction or event)."""
    user = body.get("user")
    user_id = body.get("user_id")
    user_team = _team_of(body.get("user_team_id")) or _team_of(body.get("user_team"))
    if isinstance(user, dict):
        user_id = user_id or user.get("id")
        user_team = user_team or _team_of(user.get("team_id"))
    elif isinstance(user, str):
        user_id = user_id or user
    event = body.get("event")
    if isinstance(event, dict):
        user_id = user_id or event.get("user")
        user_team = user_team or _team_of(event.get("user_team"))
    # A slash command's team_id is a hint only: a guest's command may carry the host's team.
    command_team = _team_of(body.get("team_id")) if "command" in body else None
    enterprise = (
        installing_enterprise_id
        or _team_of(body.get("enterprise_id"))
        or _team_of(body.get("enterprise"))
    )
    hints = [t for t in (user_team, command_team) if t]
    suggested = bool(installing_team_id) and any(t != installing_team_id for t in hints)
    external: bool | None = None
    if user_team and installing_team_id:
        if user_team == installing_team_id:
            external = False
        elif not enterprise:
            external = True  # another team, and no Enterprise Grid org that could span both
    elif command_team and installing_team_id and command_team != installing_team_id:
        external = None if enterprise else True
    if user_team is None:
        user_team = command_team
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
        external=external,
        suggested_external=suggested,
        installing_enterprise_id=enterprise if isinstance(enterprise, str) else None,
    )


def denial(settings: Settings, who: Requester) -> str | None:
    """``None`` when ``who`` may use the bot here, else the sentence to show them."""
    if not settings.allow_external_users and who.is_external:
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
