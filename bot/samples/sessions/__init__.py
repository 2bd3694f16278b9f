"""Bundled demo sessions (package data): a whole call's details, participants and reports.

``DemoSession`` answers like the Cloudflare API would (``get_session``,
``iter_session_participants``, ``fetch``) from one of these files: no token, no network.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.realtimekit.client import FetchedReport
    from bot.realtimekit.session_models import SessionDetails, SessionParticipant

DEFAULT_SESSION = "war-room"

SESSION_DESCRIPTIONS: dict[str, str] = {
    "war-room": "8 people: Carol's upload, Dave's download, one bad pair, a denied camera",
}


def session_names() -> list[str]:
    return list(SESSION_DESCRIPTIONS)


@cache
def _load(name: str) -> dict[str, Any]:
    if name not in SESSION_DESCRIPTIONS:
        raise ValueError(
            f"no demo session named {name!r}: choose one of {', '.join(session_names())}"
        )
    raw = resources.files(__package__).joinpath(f"{name}.json").read_bytes()
    data: dict[str, Any] = json.loads(raw)
    return data


def session_id_of(name: str) -> str:
    return str(_load(name)["session"]["data"]["session"]["id"])


def session_for_peer(peer_id: str) -> str | None:
    """The demo session one of whose participants is ``peer_id``, if any."""
    for name in session_names():
        if peer_id.lower() in _load(name)["reports"]:
            return name
    return None


def session_by_id(session_id: str) -> str | None:
    for name in session_names():
        if session_id_of(name) == session_id.lower():
            return name
    return None


class DemoSession:
    """One bundled session, served through the same methods as the live client."""

    def __init__(self, name: str = DEFAULT_SESSION) -> None:
        self.name = name
        self.data = _load(name)
        self.session_id = session_id_of(name)

    async def get_session(self, app_id: str, session_id: str) -> SessionDetails:
        from bot.realtimekit.session_models import parse_session_details

        return parse_session_details(self.data["session"])

    async def iter_session_participants(
        self, app_id: str, session_id: str
    ) -> AsyncIterator[SessionParticipant]:
        from bot.realtimekit.session_models import parse_participants_page

        for participant in parse_participants_page(self.data["participants"]).participants:
            yield participant

    def has_peer(self, peer_id: str) -> bool:
        return peer_id.lower() in self.data["reports"]

    async def fetch(self, app_id: str, peer_id: str) -> FetchedReport:
        from bot.realtimekit.client import FetchedReport
        from bot.realtimekit.errors import NotFoundError
        from bot.realtimekit.models import parse_participant

        envelope = self.data["reports"].get(peer_id.lower())
        if envelope is None:
            raise NotFoundError(f"No peer {peer_id} in the demo session {self.name}.")
        raw = json.dumps(envelope).encode()
        return FetchedReport(
            participant=parse_participant(raw),
            raw=raw,
            fetched_at=datetime.now(UTC),
            app_id=app_id,
            peer_id=peer_id.lower(),
        )
