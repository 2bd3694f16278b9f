"""Log output: text by default, one JSON object per line with PEER_REPORT_LOG_FORMAT=json.

A JSON line holds ``time``, ``level``, ``logger``, ``message`` and, inside a Slack request (and
the lazy work it started), ``request_id`` plus the Slack ``team_id``, ``channel_id`` and
``user_id``: IDs only, never names, e-mail addresses or tokens. An exception adds ``exception``
(its type) and ``traceback``.
"""

from __future__ import annotations

import json
import logging
import sys
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Final, TextIO

TEXT_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s %(message)s"
CONTEXT_KEYS: Final = ("request_id", "team_id", "channel_id", "user_id")

#: The current Slack request's IDs; lazy listener tasks inherit them with the context.
request_context: ContextVar[Mapping[str, str]] = ContextVar(
    "peer_report_request", default=MappingProxyType({})
)


def _id(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _nested_id(body: Mapping[str, Any], key: str) -> str | None:
    value = body.get(key)
    if isinstance(value, Mapping):
        return _id(value.get("id"))
    return _id(value)


def ids_of(body: Mapping[str, Any]) -> dict[str, str]:
    """team/channel/user IDs of a Slack request body (slash command, interaction, event)."""
    raw_event = body.get("event")
    event: Mapping[str, Any] = raw_event if isinstance(raw_event, Mapping) else {}
    found = {
        "team_id": _id(body.get("team_id")) or _nested_id(body, "team"),
        "channel_id": _id(body.get("channel_id"))
        or _nested_id(body, "channel")
        or _id(event.get("channel")),
        "user_id": _id(body.get("user_id")) or _nested_id(body, "user") or _id(event.get("user")),
    }
    return {key: value for key, value in found.items() if value}


def bind_request(body: Mapping[str, Any], *, team_id: str | None = None) -> str:
    """Start a request's log context (a fresh request ID and its Slack IDs); returns the ID."""
    request_id = uuid.uuid4().hex[:16]
    ids = ids_of(body)
    if team_id and "team_id" not in ids:
        ids["team_id"] = team_id
    request_context.set({"request_id": request_id, **ids})
    return request_id


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        context = request_context.get()
        entry.update({key: context[key] for key in CONTEXT_KEYS if key in context})
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(log_format: str = "text", *, stream: TextIO | None = None) -> logging.Handler:
    """Send every log record (uvicorn's too) to ``stream`` (stderr) in the chosen format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler
