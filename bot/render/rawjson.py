"""JSON as sent: parse and pretty-print without touching a single number (pure).

``json.loads`` turns ``1e400`` into ``inf`` (which ``json.dumps`` writes as ``Infinity``, not
JSON) and ``0`` from a float field into ``0.0`` once a model has held it. The raw view must show
what Cloudflare sent, so numbers are kept as their source text (:class:`ExactNumber`) and
written back verbatim; only whitespace changes.
"""

from __future__ import annotations

import json
from typing import Any

INDENT = "  "


class ExactNumber(str):
    """A JSON number exactly as written in the source (``1e400``, ``0``, ``-0.50``)."""

    __slots__ = ()


def _constant(name: str) -> None:
    """``NaN``/``Infinity`` are not JSON: Python's parser accepts them, the raw view says null."""
    return None


def load_exact(raw: bytes) -> Any:
    """The document with every number kept as text; ``None`` when the bytes are not JSON."""
    text = raw.decode("utf-8", "replace")
    try:
        return json.loads(
            text, parse_float=ExactNumber, parse_int=ExactNumber, parse_constant=_constant
        )
    except (ValueError, RecursionError):
        return None


def _string(value: str) -> str:
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (``"\ud800"``): keep it escaped
        return json.dumps(value)
    return text


def _write(value: Any, depth: int, out: list[str]) -> None:
    if isinstance(value, ExactNumber):
        out.append(str.__str__(value))
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = INDENT * (depth + 1)
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            out.append(("\n" if index == 0 else ",\n") + inner + _string(str(key)) + ": ")
            _write(item, depth + 1, out)
        out.append("\n" + INDENT * depth + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = INDENT * (depth + 1)
        out.append("[")
        for index, item in enumerate(value):
            out.append(("\n" if index == 0 else ",\n") + inner)
            _write(item, depth + 1, out)
        out.append("\n" + INDENT * depth + "]")
    else:  # True, False, None
        out.append(json.dumps(value))


def exact_dumps(document: Any) -> str | None:
    """Pretty JSON (two-space indent) with numbers verbatim; ``None`` if nested too deep."""
    out: list[str] = []
    try:
        _write(document, 0, out)
    except RecursionError:
        return None
    return "".join(out)
