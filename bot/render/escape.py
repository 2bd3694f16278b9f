"""Escaping for Slack mrkdwn: user-controlled text can never ping, link or break our markup.

Three layers, each for one place a string can sit:

* :func:`escape_mrkdwn` — Slack's three entities, exactly (``&``, ``<``, ``>``). This alone makes
  ``<!channel>``, ``<@U…>``, ``<#C…>`` and ``<url|label>`` show as text: nothing can ping or
  disguise a link. Slack documents no other escapes, so nothing else is entity-encoded.
* :func:`inline` — for user text placed *inside our own* ``*bold*``/``_italic_`` markup or in a
  one-line list (display names, roles, SDK names). mrkdwn has no escape for its formatting
  characters, so the three that could close or open a span around the text are replaced by
  look-alikes: ``*`` → ``∗`` (U+2217), ``~`` → ``∼`` (U+223C), `````` ` `````` → ``ˋ`` (U+02CB).
  This does not depend on how a Slack client treats word boundaries (a zero-width space would)
  and never touches our own markers. ``_`` is left alone: it is common in names
  (``john_doe``), it can only italicise, and it cannot end a ``*bold*`` or `` `code` `` span.
  Newlines, control characters and bidi overrides become spaces, so the text stays on its line
  and reads in the order it is stored.
* :func:`code` — for values shown in `` `code` `` (IDs, custom ids): inside a code span only a
  backtick ends it, so only backticks are replaced; IDs stay exactly copyable.

``plain_text`` fields (header, button labels, modal titles) need no escaping, only one line
and a length: :func:`plain`.
"""

from __future__ import annotations

import re

#: C0 and C1 controls, DEL, line/paragraph separators, and the bidi embedding, override and
#: isolate marks (which can reorder what a reader sees around them).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_LOOKALIKE = str.maketrans({"*": "\u2217", "~": "\u223c", "`": "\u02cb"})


def escape_mrkdwn(text: str) -> str:
    """Slack's three escapes, exactly: ``&`` → ``&amp;``, ``<`` → ``&lt;``, ``>`` → ``&gt;``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def one_line(text: str) -> str:
    """Newlines, tabs and other control characters become spaces; ends trimmed."""
    return _CONTROL.sub(" ", text).strip()


def inline(text: str) -> str:
    """User text that is safe inside our own mrkdwn markup, on one line (escaped)."""
    return escape_mrkdwn(one_line(text).translate(_LOOKALIKE))


def code(text: str) -> str:
    """User text for inside `` `…` ``: one line, no backtick to end the span, escaped."""
    return escape_mrkdwn(one_line(text).replace("`", "\u02cb"))


def plain(text: str, limit: int) -> str:
    """Text for ``plain_text`` fields: no escaping needed, only one line and the length."""
    flat = one_line(text)
    return flat if len(flat) <= limit else flat[: max(0, limit - 1)].rstrip() + "…"
