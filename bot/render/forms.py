"""Small Slack surfaces around the card: help, the lookup modal, notices, loading views.

Pure: strings are formatted and escaped here, templates only lay them out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.identifiers import Section
from bot.ids import PeerRef
from bot.render.actions import LOOKUP_APP_BLOCK, LOOKUP_MODAL, LOOKUP_PEER_BLOCK
from bot.render.environment import render_template
from bot.render.escape import escape_mrkdwn
from bot.render.limits import MAX_MESSAGE_BLOCKS, MAX_VIEW_BLOCKS, clip

EXAMPLE_APP = "14a396e7-ca44-4937-bf1f-050a69118543"
EXAMPLE_PEER = "79d87ca5-7e47-452a-b3c1-b6842ad84bf5"
SECTION_WORDS: dict[Section, str] = {
    Section.EVENTS: "joins, leaves, reconnects and ICE restarts on a timeline",
    Section.PAIRS: "ICE candidate pairs: direct, STUN or TURN relay, UDP or TCP, RTT",
    Section.QUALITY: "per-track MOS, loss, RTT, jitter, frame rate, with the worst periods",
    Section.DEVICE: "OS, browser, SDK, CPUs, device changes, network location (masked)",
    Section.RAW: "the whole report as a JSON file in the thread",
}
#: Block types Slack accepts in messages (input blocks belong to modals only).
MESSAGE_BLOCK_TYPES = {"section", "header", "context", "divider", "actions", "image", "rich_text"}


def render_help(aliases: Mapping[str, str], default_app: str | None) -> dict[str, Any]:
    """Ephemeral usage with examples, tailored to the configured apps."""
    app_word = next(iter(sorted(aliases)), None) or "APP"
    intro = (
        "Look up a RealtimeKit participant's peer report and get a verdict on their "
        "*device*, *network* and *call quality*."
    )
    lines = [
        "*Examples*",
        f"• `/peer-report {EXAMPLE_APP} {EXAMPLE_PEER}` — app and peer",
        f"• `/peer-report {app_word}/{EXAMPLE_PEER}` — the same, one word",
    ]
    if default_app:
        lines.append(f"• `/peer-report {EXAMPLE_PEER}` — a peer of the default app")
    lines += [
        "• `/peer-report https://api.cloudflare.com/client/v4/accounts/…/peer-report/…`"
        " — a pasted URL",
        f"• `/peer-report {app_word} {EXAMPLE_PEER} events` — straight to one view",
        f"• `/peer-report session {app_word} SESSION_ID` — the whole call: every participant, "
        "and whose connection broke it",
        "• `/peer-report` — opens a form",
    ]
    sections = "*Views*\n" + "\n".join(f"• `{s}` — {SECTION_WORDS[s]}" for s in Section)
    names = ", ".join(f"`{escape_mrkdwn(n)}`" for n in sorted(aliases)) or "none configured"
    footer = (
        f"App names: {names}. Several peers in one command give one card each. Or use the "
        "*Peer report* message shortcut on any message that mentions peer IDs."
    )
    return render_template(
        "help.json.j2", intro=intro, examples="\n".join(lines), sections=sections, footer=footer
    )


def render_usage_error(message: str) -> dict[str, Any]:
    """A bad command: exactly what was wrong, and where to find the usage."""
    payload = _notice(
        f":warning: {escape_mrkdwn(message)}",
        hint="Type `/peer-report help` for examples.",
        text=message,
    )
    payload["response_type"] = "ephemeral"
    return payload


def render_lookup_modal(
    aliases: Mapping[str, str], default_app: str | None, *, channel_id: str | None = None
) -> dict[str, Any]:
    """The lookup form: app (select when names are configured, else text) and peer."""
    options = [{"label": clip(name, 75), "value": name} for name in sorted(aliases)]
    initial: dict[str, str] | None = None
    if default_app:
        named = next((n for n, a in aliases.items() if a.lower() == default_app.lower()), None)
        if named is not None:
            initial = {"label": clip(named, 75), "value": named}
        elif options:
            options.insert(0, {"label": "default app", "value": default_app})
            initial = options[0]
        else:
            initial = {"label": default_app, "value": default_app}
    hint = (
        "Leave as is for the default app."
        if default_app
        else "The RealtimeKit app ID (a UUID) the call ran in."
    )
    return render_template(
        "lookup_modal.json.j2",
        callback_id=LOOKUP_MODAL,
        private_metadata=channel_id or "",
        intro="Find a participant's peer report: the bot judges device, network and quality.",
        app_block=LOOKUP_APP_BLOCK,
        peer_block=LOOKUP_PEER_BLOCK,
        app_optional=bool(default_app),
        app_options=options[:100],
        app_initial=initial,
        app_hint=hint,
    )


def render_loading_view(section: str, peer_id: str) -> dict[str, Any]:
    title = "Peer report" if section == "summary" else f"Peer {section}"
    return render_template(
        "loading_view.json.j2",
        title=clip(title, 24),
        body=f":hourglass_flowing_sand: Loading the {section} for peer `{peer_id}`…",
    )


def render_summary_view(payload: dict[str, Any]) -> dict[str, Any]:
    """The summary card shown inside a modal (lookup form, refresh from a modal)."""
    return render_template(
        "summary_view.json.j2", blocks=list(payload.get("blocks") or [])[:MAX_VIEW_BLOCKS]
    )


def render_message_from_view(view: dict[str, Any]) -> dict[str, Any]:
    """A modal's content as an ephemeral message (when the modal cannot be opened)."""
    title = str((view.get("title") or {}).get("text") or "Peer report")
    blocks = [b for b in view.get("blocks") or [] if b.get("type") in MESSAGE_BLOCK_TYPES]
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        rest = len(blocks) - (MAX_MESSAGE_BLOCKS - 1)
        blocks = blocks[: MAX_MESSAGE_BLOCKS - 1]
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": f"…and {rest} more blocks: open it again."}
                ],
            }
        )
    return {"text": title, "blocks": blocks}


def render_not_in_channel(error: str) -> dict[str, Any]:
    return _notice(
        ":no_entry: I can't post in this conversation "
        f"(`{escape_mrkdwn(error)}`). Invite me with `/invite @peer-report` and try again.",
        hint="`/peer-report` itself works anywhere: its answers do not need me in the channel.",
        text="I can't post in this conversation: invite me with /invite @peer-report.",
    )


def render_no_peers(has_default_app: bool) -> dict[str, Any]:
    need = (
        "a peer ID (a UUID)"
        if has_default_app
        else "an app and a peer ID (`APP/PEER`, `app=… peer=…`) or a RealtimeKit URL"
    )
    return _notice(
        f":mag: I found no peer in that message. I look for {need} in its text, blocks "
        "and attachments.",
        hint="Type `/peer-report help` for the forms I understand.",
        text="No peer ID found in that message.",
    )


def render_upload_refused(error: str, ref: PeerRef, *, what: str = "raw") -> dict[str, Any]:
    """Why an upload into the conversation failed, and how to get the same thing elsewhere."""
    thing = "quality chart" if what == "chart" else "raw report"
    command = (
        f"peer-report show {ref.app_id} {ref.peer_id} --chart quality.png"
        if what == "chart"
        else f"peer-report show {ref.app_id} {ref.peer_id} --section raw"
    )
    reason = (
        "there is no conversation to post into here"
        if error == "no channel"
        else f"`{escape_mrkdwn(error)}`"
    )
    return _notice(
        f":no_entry: I couldn't post the {thing} here ({reason}). "
        "Run the button from the card in a channel (invite me first), or from a terminal:\n"
        f"```{command}```",
        hint="The terminal version shows full IP addresses; keep it out of shared channels.",
        text=f"The {thing} could not be posted here.",
    )


def render_nothing_to_chart(ref: PeerRef) -> dict[str, Any]:
    """The Chart button on a report without per-sample quality stats: say so, post nothing."""
    return _notice(
        f":bar_chart: Peer `{ref.peer_id}`'s report has no per-sample quality stats, so there "
        "is nothing to chart. The report may have been fetched with a filter, or the "
        "participant sent and received no media.",
        hint="Quality shows what the report does hold.",
        text="No quality samples to chart for this peer.",
    )


def _notice(body: str, *, hint: str | None = None, text: str) -> dict[str, Any]:
    return render_template(
        "notice.json.j2", body=clip(body, 3000), hint=hint, text=escape_mrkdwn(clip(text, 300))
    )


def render_error(message: str) -> dict[str, Any]:
    """An error the user can act on, as a message payload (never a traceback)."""
    text = escape_mrkdwn(clip(message, 2900))
    return {
        "text": clip(text, 300),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": f":warning: {text}"}}],
    }


def _ref_list(refs: Sequence[PeerRef]) -> str:
    return ", ".join(f"`{r.peer_id}`" for r in refs)


def render_fetching(refs: Sequence[PeerRef]) -> dict[str, Any]:
    """The short ephemeral note sent with the ack."""
    noun = "peer report" if len(refs) == 1 else f"{len(refs)} peer reports"
    text = f":hourglass_flowing_sand: Fetching {noun} for {_ref_list(refs)}…"
    return {
        "response_type": "ephemeral",
        "text": clip(text, 3000),
        "blocks": [{"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, 3000)}]}],
    }


def render_peer_list(refs: Sequence[PeerRef], *, shown: int) -> dict[str, Any]:
    """The peers beyond the card cap, each with the command that looks it up."""
    rest = list(refs[shown:])
    lines = [f"• `/peer-report {r.app_id} {r.peer_id}`" for r in rest]
    plural = "s" if len(rest) != 1 else ""
    text = f"…and {len(rest)} more peer{plural} (cards are capped at {shown} per request):"
    body = clip(text + "\n" + "\n".join(lines), 3000)
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": body}}]}


def render_connect_modal() -> dict[str, Any]:
    """Multi-workspace mode: a workspace admin enters this workspace's Cloudflare credentials."""
    from bot.render.actions import (
        CONNECT_ACCOUNT_BLOCK,
        CONNECT_APP_BLOCK,
        CONNECT_MODAL,
        CONNECT_TOKEN_BLOCK,
    )

    return render_template(
        "connect_modal.json.j2",
        callback_id=CONNECT_MODAL,
        intro=(
            "Connect this workspace to your Cloudflare account. The token needs the "
            "*Realtime* (or *Realtime Admin*) permission; it is checked live, then stored "
            "encrypted. Only workspace admins can connect."
        ),
        account_block=CONNECT_ACCOUNT_BLOCK,
        token_block=CONNECT_TOKEN_BLOCK,
        app_block=CONNECT_APP_BLOCK,
    )


def render_notice_view(title: str, body: str) -> dict[str, Any]:
    """A modal that only says something (already escaped ``body``)."""
    return render_template("loading_view.json.j2", title=clip(title, 24), body=clip(body, 3000))
