"""Log lines an attacker cannot forge: control characters in every logged string escaped.

A request body, a header or a Slack-supplied name can hold a raw newline; written as is, it
would start a second, forged log line. A log-record factory (:func:`install`) rewrites each
record's message (template and every argument) so that every control character appears as
a visible escape (``\\n``, ``\\x1b``, ``\\u2028``…). Tracebacks are left as they are: they are ours.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping
from typing import Any, Final

#: Unicode categories that must never reach a log line raw: controls, formats (bidi
#: overrides), line and paragraph separators.
_UNSAFE: Final = frozenset({"Cc", "Cf", "Zl", "Zp"})
_NAMED: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    """``text`` with every control/format character replaced by a visible escape."""
    if text.isprintable():
        return text
    out: list[str] = []
    for ch in text:
        if ch in _NAMED:
            out.append(_NAMED[ch])
        elif unicodedata.category(ch) in _UNSAFE:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _safe_arg(value: Any) -> Any:
    if isinstance(value, str):
        return escape_controls(value)
    if value is None or isinstance(value, int | float):
        return value
    return escape_controls(str(value))


def escape_record(record: logging.LogRecord) -> logging.LogRecord:
    """Escape the record's message template and each argument in place (structure kept, so
    formatters that read ``record.args``, like uvicorn's access log, still work)."""
    if isinstance(record.msg, str):
        record.msg = escape_controls(record.msg)
    elif record.msg is not None:
        record.msg = escape_controls(str(record.msg))
    args = record.args
    if isinstance(args, tuple):
        record.args = tuple(_safe_arg(a) for a in args)
    elif isinstance(args, Mapping):
        record.args = {k: _safe_arg(v) for k, v in args.items()}
    return record


def install() -> None:
    """Escape every log record of this process at creation, whatever handler writes it."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "_escapes_controls", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return escape_record(previous(*args, **kwargs))

    factory._escapes_controls = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
