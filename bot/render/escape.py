"""Escaping for Slack mrkdwn: user-controlled text can never ping, link or break markup."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_mrkdwn(text: str) -> str:
    """Slack's three escapes, exactly: ``&`` → ``&amp;``, ``<`` → ``&lt;``, ``>`` → ``&gt;``.

    With ``<`` and ``>`` escaped no ``<!channel>``, ``<@U…>``, ``<#C…>`` or ``<url|label>`` can
    survive, so nothing from a report or a user can ping anyone or disguise a link.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inline(text: str) -> str:
    """Escaped text that is safe inside our own ``*bold*``/`` `code` `` markup on one line.

    Control characters and newlines become spaces; backticks, asterisks, underscores and
    tildes get a zero-width space so they cannot close or open formatting around them.
    """
    flat = _CONTROL.sub(" ", text).replace("\n", " ").replace("\r", " ")
    for char in "`*_~":
        flat = flat.replace(char, char + "\u200b")
    return escape_mrkdwn(flat)


def plain(text: str, limit: int) -> str:
    """Text for ``plain_text`` fields: no escaping needed, only one line and the length."""
    flat = _CONTROL.sub(" ", text).replace("\n", " ").strip()
    return flat if len(flat) <= limit else flat[: max(0, limit - 1)].rstrip() + "…"
