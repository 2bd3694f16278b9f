"""The door of ``POST /slack/events``: what is refused before any listener runs.

Pure checks on the raw request (headers and bytes), in the order the server applies them:

1. size: bodies over ``max_body`` bytes → 413, before any signature work;
2. timestamp: missing, not a whole number, or more than five minutes off → 401;
3. signature: not ``v0=HMAC-SHA256(secret, "v0:{ts}:{body}")`` → 401;
4. shape: not UTF-8, or JSON nested deeper than :data:`MAX_DEPTH` → 400.

Each refusal is a :class:`Refusal` (status and a short reason for the log line); the body is
never part of it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qsl

#: Slack's own replay window: requests older (or newer) than this are refused.
WINDOW_SECONDS: Final = 300
#: Default body cap: Slack's requests are a few kB; 1 MB is generous.
MAX_BODY: Final = 1_000_000
#: Deepest JSON nesting accepted (Slack's payloads are a dozen levels deep at most).
MAX_DEPTH: Final = 64


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str


def too_large(content_length: str | None, max_body: int) -> Refusal | None:
    """413 when the declared length is over the cap (or not a number)."""
    if content_length is None:
        return None
    text = content_length.strip()
    if not text.isdigit():
        return Refusal(400, "bad content-length")
    if int(text) > max_body:
        return Refusal(413, "body too large")
    return None


def check_timestamp(value: str | None, now: float | None = None) -> Refusal | None:
    if value is None or not value.strip():
        return Refusal(401, "missing timestamp")
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        return Refusal(401, "malformed timestamp")
    if abs((time.time() if now is None else now) - int(text)) > WINDOW_SECONDS:
        return Refusal(401, "stale timestamp")
    return None


def check_signature(secret: str, timestamp: str, body: bytes, signature: str | None) -> bool:
    """Constant-time comparison of Slack's ``v0=`` signature."""
    if not signature or not secret:
        return False
    base = b"v0:" + timestamp.strip().encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.strip().encode("utf-8", "replace"))


def depth(node: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of parsed JSON, iteratively (stops counting past ``limit``)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(node, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _NOT_JSON


_NOT_JSON: Final = object()


def check_shape(body: bytes, content_type: str) -> Refusal | None:
    """400 for bodies Bolt would choke on: not UTF-8, unreadable or absurdly nested JSON."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Refusal(400, "body is not UTF-8")
    documents: list[str] = []
    if "json" in content_type:
        documents.append(text)
    else:
        fields = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" in fields:
            documents.append(fields["payload"])
    for document in documents:
        parsed = _json(document)
        if parsed is _NOT_JSON:
            return Refusal(400, "unreadable JSON")
        if depth(parsed) > MAX_DEPTH:
            return Refusal(400, "JSON nested too deeply")
    return None


def header(headers: Mapping[str, str], name: str) -> str | None:
    return headers.get(name) or headers.get(name.lower())
