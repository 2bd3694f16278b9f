"""Remember each user's lookups for the App Home (best effort: never fails a lookup)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from bot.ids import PeerRef
from bot.slack.lookups import Outcome
from bot.slack.services import Services

log = logging.getLogger("bot.slack")


def _team_and_user(body: dict[str, Any]) -> tuple[str | None, str | None]:
    team = body.get("team_id")
    user = body.get("user_id")
    if isinstance(body.get("team"), dict):
        team = team or body["team"].get("id")
    if isinstance(body.get("user"), dict):
        user = user or body["user"].get("id")
        team = team or body["user"].get("team_id")
    return (team if isinstance(team, str) else None, user if isinstance(user, str) else None)


async def remember(
    services: Services, body: dict[str, Any], ref: PeerRef, outcome: Outcome
) -> None:
    team, user = _team_and_user(body)
    if not user or outcome.report is None:
        return
    participant = outcome.report.participant
    entry = {
        "app_id": ref.app_id,
        "peer_id": ref.peer_id,
        "display_name": participant.display_name or "",
        "verdict": str(outcome.payload.get("text", ""))[:200],
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    try:
        await services.recent.add(team or "", user, entry)
    except Exception:
        log.warning("could not record a recent lookup", exc_info=True)
