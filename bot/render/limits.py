"""Slack's Block Kit limits, and helpers that keep every payload within them by construction."""

from __future__ import annotations

import re
from typing import Any

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_BLOCK_ID = 255
MAX_FALLBACK_TEXT = 3000
MAX_VIEW_TITLE = 24
MAX_PRIVATE_METADATA = 3000
MAX_TEXT_OBJECT = 3000
#: Undocumented whole-payload cap: ``msg_blocks_too_long`` was seen at ~13.2k characters of
#: text (slackapi/bolt-js#2509). Our own budget for a message's visible text stays below it.
MAX_MESSAGE_TEXT_TOTAL = 12000

#: An escape entity or a ``<…>`` link/mention the bot produced: never cut in the middle of one.
#: (User text is escaped before it gets here, so every ``<`` left in a string is ours.)
_ATOM = re.compile(r"&(?:amp|lt|gt);|<[^<>\n]{1,2998}>")


def clip(text: str, limit: int, *, marker: str = "…") -> str:
    """``text`` cut to ``limit`` characters at a safe boundary, ending with ``marker``."""
    if len(text) <= limit:
        return text
    cut = max(0, limit - len(marker))
    for match in _ATOM.finditer(text, max(0, cut - 3000), cut + 3000):
        if match.start() < cut < match.end():
            cut = match.start()
            break
    return text[:cut].rstrip() + marker


def cut_words(text: str, limit: int, *, marker: str = "…") -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, ending with ``marker``.

    For plain (unescaped) prose: never ends mid-word; a single word longer than the limit is
    cut hard (there is no boundary to cut at).
    """
    if len(text) <= limit:
        return text
    room = max(0, limit - len(marker))
    head = text[: room + 1]
    cut = head.rfind(" ")
    kept = head[:cut] if cut > 0 else text[:room]
    return kept.rstrip(" ,;—–-") + marker


def more_block(hidden: int, where: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": f"…and {hidden} more ({where})."}],
    }


def _cap(blocks: list[dict[str, Any]], cap: int, where: str) -> list[dict[str, Any]]:
    if len(blocks) <= cap:
        return blocks
    kept = blocks[: cap - 1]
    return [*kept, more_block(len(blocks) - len(kept), where)]


def _unique_ids(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        block_id = block.get("block_id")
        if block_id is None:
            continue
        candidate = str(block_id)[:MAX_BLOCK_ID]
        while candidate in seen:
            candidate = f"{str(block_id)[: MAX_BLOCK_ID - 8]}-{index}"
            index += 1000
        block["block_id"] = candidate
        seen.add(candidate)
    return blocks


def _fit_block(block: dict[str, Any]) -> dict[str, Any]:
    text = block.get("text")
    if block.get("type") == "section" and isinstance(text, dict):
        text["text"] = clip(str(text.get("text", "")), MAX_SECTION_TEXT)
    if block.get("type") == "header" and isinstance(text, dict):
        text["text"] = clip(str(text.get("text", "")), MAX_HEADER_TEXT)
    fields = block.get("fields")
    if isinstance(fields, list):
        block["fields"] = fields[:MAX_FIELDS]
        for field in block["fields"]:
            field["text"] = clip(str(field.get("text", "")), MAX_FIELD_TEXT)
    if block.get("type") == "context":
        block["elements"] = block.get("elements", [])[:MAX_CONTEXT_ELEMENTS]
        for element in block["elements"]:
            if isinstance(element.get("text"), str):
                element["text"] = clip(element["text"], MAX_TEXT_OBJECT)
    if block.get("type") == "actions":
        block["elements"] = block.get("elements", [])[:MAX_ACTIONS_ELEMENTS]
    for element in _interactive(block):
        label = element.get("text")
        if isinstance(label, dict) and isinstance(label.get("text"), str):
            label["text"] = clip(label["text"], MAX_BUTTON_TEXT)
        if len(str(element.get("value", ""))) > MAX_BUTTON_VALUE:
            # A value cannot be shortened without breaking it: that is a bug, not data.
            raise ValueError(f"button value over {MAX_BUTTON_VALUE} characters")
    return block


def _interactive(block: dict[str, Any]) -> list[dict[str, Any]]:
    elements = list(block.get("elements", [])) if block.get("type") == "actions" else []
    accessory = block.get("accessory")
    if isinstance(accessory, dict):
        elements.append(accessory)
    return [e for e in elements if isinstance(e, dict) and e.get("type") == "button"]


def _text_objects(value: Any) -> list[dict[str, Any]]:
    """Every text object (``{"type": "mrkdwn"|"plain_text", "text": str}``) inside ``value``."""
    found: list[dict[str, Any]] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("type") in ("mrkdwn", "plain_text") and isinstance(item.get("text"), str):
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def message_text_length(payload: dict[str, Any]) -> int:
    """Characters of text a message payload carries: its blocks' text objects and ``text``."""
    blocks = sum(len(t["text"]) for t in _text_objects(payload.get("blocks") or []))
    return blocks + len(str(payload.get("text") or ""))


def _water_level(lengths: list[int], budget: int) -> int:
    """The largest cap with ``sum(min(n, cap)) <= budget``: long texts shrink, short ones stay."""
    ordered = sorted(lengths)
    spent = 0
    for index, length in enumerate(ordered):
        remaining = len(ordered) - index
        if spent + length * remaining > budget:
            return max(0, (budget - spent) // remaining)
        spent += length
    return ordered[-1] if ordered else 0


def _fit_total(payload: dict[str, Any], total: int) -> None:
    """Clip the longest text objects until the message carries at most ``total`` characters."""
    if message_text_length(payload) <= total:
        return
    objects = _text_objects(payload.get("blocks") or [])
    budget = total - len(str(payload.get("text") or ""))
    cap = max(1, _water_level([len(t["text"]) for t in objects], budget))
    for obj in objects:
        if len(obj["text"]) > cap:
            obj["text"] = clip(obj["text"], cap) or "…"
    # ``clip`` may end a little short of an entity; anything still over goes from the end.
    for obj in reversed(objects):
        over = message_text_length(payload) - total
        if over <= 0:
            break
        obj["text"] = clip(obj["text"], max(1, len(obj["text"]) - over)) or "…"


def enforce_message(
    payload: dict[str, Any], *, where: str = "open the drill-downs"
) -> dict[str, Any]:
    """≤ 50 blocks (the last says how many more), text limits, unique block_ids, and at most
    :data:`MAX_MESSAGE_TEXT_TOTAL` characters of text in all (the longest texts are cut)."""
    blocks = [_fit_block(b) for b in payload.get("blocks") or []]
    payload["blocks"] = _unique_ids(_cap(blocks, MAX_MESSAGE_BLOCKS, where))
    payload["text"] = clip(str(payload.get("text") or ""), MAX_FALLBACK_TEXT)
    _fit_total(payload, MAX_MESSAGE_TEXT_TOTAL)
    return payload


def enforce_view(view: dict[str, Any], *, where: str = "use the page buttons") -> dict[str, Any]:
    """≤ 100 blocks, text limits, unique block_ids, title ≤ 24 characters."""
    blocks = [_fit_block(b) for b in view.get("blocks") or []]
    view["blocks"] = _unique_ids(_cap(blocks, MAX_VIEW_BLOCKS, where))
    title = view.get("title")
    if isinstance(title, dict):
        title["text"] = clip(str(title.get("text", "")), MAX_VIEW_TITLE)
    return view
