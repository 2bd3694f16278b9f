"""Wire models of the session endpoints (``GET …/sessions/{id}`` and ``…/participants``).

Same rules as :mod:`bot.realtimekit.models`: every field optional, unknown fields kept, enums
as plain strings. The API nests its payload in ``data`` (``data.session`` for details,
``data.participants`` for the list) and puts ``paging`` beside ``data`` or inside it; both
shapes are read.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

__all__ = [
    "SESSION_STATUSES",
    "Paging",
    "ParticipantsPage",
    "SessionDetails",
    "SessionParticipant",
    "ShapeError",
    "parse_participants_page",
    "parse_session_details",
]

SESSION_STATUSES = ("LIVE", "ENDED")


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class SessionDetails(_Wire):
    """``ActiveSession``: the meeting title, status and times of one session."""

    id: str | None = None
    associated_id: str | None = None
    meeting_display_name: str | None = None
    status: str | None = None
    live_participants: float | None = None
    max_concurrent_participants: float | None = None
    minutes_consumed: float | None = None
    organization_id: str | None = None
    started_at: str | None = None
    ended_at: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    type: str | None = None


class SessionParticipant(_Wire):
    """One item of the participants list; ``id`` is the peer ID."""

    id: str | None = None
    display_name: str | None = None
    custom_participant_id: str | None = None
    user_id: str | None = None
    preset_name: str | None = None
    role: str | None = None
    joined_at: str | None = None
    left_at: str | None = None
    duration: float | None = None
    created_at: str | None = None
    updated_at: str | None = None


class Paging(_Wire):
    total_count: int | None = None
    start_offset: int | None = None
    end_offset: int | None = None


class ParticipantsPage(_Wire):
    participants: list[SessionParticipant] = []
    paging: Paging | None = None


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class ShapeError(ValueError):
    """The body is JSON but not the expected shape."""


def parse_session_details(body: Any) -> SessionDetails:
    """``data.session`` or ``data`` itself as :class:`SessionDetails`."""
    data = _as_dict(_as_dict(body).get("data"))
    inner = data.get("session")
    try:
        return SessionDetails.model_validate(inner if isinstance(inner, dict) else data)
    except ValidationError as exc:
        raise ShapeError(str(exc.errors(include_url=False)[0]["msg"])) from None


def parse_participants_page(body: Any) -> ParticipantsPage:
    """Participants from ``data.participants`` or ``data`` (a list); paging beside or inside."""
    top = _as_dict(body)
    data = top.get("data")
    items: Any = []
    paging: Any = top.get("paging")
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict):
        items = data.get("participants") or []
        paging = data.get("paging") or paging
    try:
        return ParticipantsPage(
            participants=[
                SessionParticipant.model_validate(item) for item in items if isinstance(item, dict)
            ],
            paging=Paging.model_validate(paging) if isinstance(paging, dict) else None,
        )
    except ValidationError as exc:
        raise ShapeError(str(exc.errors(include_url=False)[0]["msg"])) from None
