"""The App Home tab: the user's last lookups (one click to reopen) and the setup status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.render.actions import CONNECT, REOPEN, encode_value
from bot.render.environment import render_template
from bot.render.escape import escape_mrkdwn, inline
from bot.render.limits import clip, enforce_view
from bot.setup_check import Check

MAX_ENTRIES = 10
INTRO = (
    "Type `/peer-report APP PEER` anywhere, or use the *Peer report* message shortcut on a "
    "message that mentions a peer ID. `/peer-report help` shows every form."
)


def _entry(index: int, entry: Mapping[str, str]) -> dict[str, str] | None:
    app_id, peer_id = entry.get("app_id", ""), entry.get("peer_id", "")
    if not app_id or not peer_id:
        return None
    name = inline(entry.get("display_name") or "") or "(no name)"
    verdict = escape_mrkdwn(clip(entry.get("verdict", ""), 300))
    when = escape_mrkdwn(entry.get("at", ""))
    return {
        "block_id": f"recent-{index}",
        "text": clip(f"*{name}* · peer `{peer_id}`\n{verdict}\n_{when}_", 3000),
        "action_id": REOPEN,
        "value": encode_value(app_id, peer_id),
    }


def render_home(
    entries: Sequence[Mapping[str, str]],
    checks: Sequence[Check],
    *,
    demo: bool = False,
    connect: bool = False,
) -> dict[str, Any]:
    """The Home tab; ``connect`` adds the (admin) button for per-workspace credentials."""
    rows = [r for i, e in enumerate(entries[:MAX_ENTRIES]) if (r := _entry(i, e))]
    lines = [
        f"{'✅' if c.ok else '❌'} *{escape_mrkdwn(c.name)}* — {escape_mrkdwn(c.detail)}"
        for c in checks
    ] or ["_No checks ran._"]
    intro = INTRO + (
        "\n:test_tube: *Demo mode*: answers come from bundled samples." if demo else ""
    )
    return enforce_view(
        render_template(
            "home.json.j2",
            intro=intro,
            entries=rows,
            checks=lines,
            connect=CONNECT if connect else "",
        )
    )
