"""Find RealtimeKit app and peer IDs in free text and pasted URLs.

Pure: no I/O and no environment. The default app and the alias names (``prod=<app_id>``)
come in as arguments. Two ways in (DESIGN.md, "IDs"):

* :func:`parse_refs` is strict, for ``/peer-report`` text and CLI arguments: every word must
  be understood, otherwise :class:`IdError` names the first word that is not.
* :func:`find_refs` is lenient, for any message text and link unfurls: it picks out every
  reference it can and ignores the rest of the prose.

Whatever goes in, an ID that comes out is ASCII hex (and hyphens), lower case, so it is safe
to put in a URL path. IDs are matched with anchored ASCII-only patterns and never
percent-decoded, so ``%2F``, ``..``, look-alike letters and fullwidth digits cannot get through.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import urlsplit

from bot.identifiers import SECTION_WORDS

__all__ = [
    "SECTIONS",
    "IdError",
    "ParsedRefs",
    "PeerRef",
    "SessionRef",
    "find_refs",
    "mentions_session",
    "parse_refs",
    "parse_session_ref",
    "refs_from_url",
    "session_from_url",
    "validate_account_id",
    "validate_app_id",
    "validate_peer_id",
    "validate_session_id",
]

#: Drill-down views a ``/peer-report`` command may end with.
SECTIONS: tuple[str, ...] = SECTION_WORDS

EXAMPLE_PEER = "79d87ca5-7e47-452a-b3c1-b6842ad84bf5"
EXAMPLE_APP = "14a396e7-ca44-4937-bf1f-050a69118543"
EXAMPLE_ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"

PEER_FORM = f"a UUID like {EXAMPLE_PEER}"
APP_FORM = f"a UUID like {EXAMPLE_APP}, 32 hex characters, or a configured app name"
ACCOUNT_FORM = f"32 hex characters like {EXAMPLE_ACCOUNT}"
REF_FORM = f"PEER, APP PEER, APP/PEER, app=APP peer=PEER or a RealtimeKit URL (PEER is {PEER_FORM})"
URL_FORM = (
    "a URL holding an app and a peer ID, like https://api.cloudflare.com/client/v4/accounts/"
    "ACCOUNT/realtime/kit/APP/sessions/peer-report/PEER"
)
NO_APP_HINT = "pass the app first (APP PEER or APP/PEER) or set REALTIMEKIT_APP_ID"

#: How much of a bad token an error message shows.
MAX_SHOWN = 40
#: Longest word (other than a URL) worth reading; ``app=APP/PEER``-like forms are under 80.
MAX_WORD = 100
MAX_URL = 2048

_NO_ALIASES: Mapping[str, str] = MappingProxyType({})

_HEX = "[0-9a-fA-F]"
UUID_RE = re.compile(f"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}")
HEX32_RE = re.compile(f"{_HEX}{{32}}")
URL_START_RE = re.compile(r"https?://", re.IGNORECASE)
#: Words of command text: a Slack-wrapped ``<…>`` (its label may hold spaces), a bare URL,
#: or a run of anything but whitespace and commas.
TOKEN_RE = re.compile(r"<[^<>]*>|https?://[^\s<>]+|[^\s,]+", re.IGNORECASE)
#: Where prose words are cut into parts (``"peer_id":"…",`` -> ``peer_id``, ``…``).
PROSE_SPLIT_RE = re.compile(r"[\s\"'`()\[\]{}<>,;:=!?|.#&]+")
_URL_TRAILING = ".,;:!?)]}'\""

APP_KEYS = frozenset({"app", "app_id", "appid"})
PEER_KEYS = frozenset({"peer", "peer_id", "peerid"})
APP_QUERY_KEYS = frozenset({"orgid", "org_id", "appid", "app_id", "app"})
PEER_QUERY_KEYS = frozenset({"peerid", "peer_id", "peer", "participantid", "participant_id"})
#: URL segments that are followed by the app ID once a ``realtime…`` segment has been seen.
APP_PARENTS = frozenset({"kit", "apps", "app", "realtime-kit", "realtimekit"})
#: URL segments that are followed by a peer ID.
PEER_PARENTS = frozenset(
    {"peer-report", "peer-reports", "peers", "peer", "participants", "participant"}
)
#: A meeting's participants are "add participant" IDs, not peers; these paths hold no peer.
NON_PEER_SEGMENTS = frozenset(
    {
        "meetings",
        "meeting",
        "recordings",
        "recording",
        "active-recording",
        "active-session",
        "presets",
        "preset",
        "webhooks",
        "webhook",
        "livestreams",
        "livestream",
        "livestream-sessions",
        "analytics",
    }
)
SESSION_SEGMENTS = frozenset({"sessions", "session"})
DYTE_HOSTS = ("dyte.io", "dyte.in")

#: Prose labels: the word before an ID says what it is (``app 14a3…``, ``session 8134…``).
PROSE_APP_LABELS = frozenset(
    {"app", "apps", "appid", "app_id", "app-id", "application", "org", "orgid", "org_id"}
    | {"organization", "organization_id"}
)
PROSE_PEER_LABELS = frozenset(
    {"peer", "peers", "peerid", "peer_id", "peer-id", "participant", "participants"}
    | {"participantid", "participant_id"}
)
PROSE_OTHER_LABELS = frozenset(
    {"session", "sessions", "session_id", "sessionid", "meeting", "meetings", "meeting_id"}
    | {"meetingid", "room", "user", "userid", "user_id", "account", "account_id", "accountid"}
    | {"recording", "recording_id", "preset", "webhook", "trace", "trace_id", "traceid"}
    | {"request", "request_id", "requestid", "ray", "custom_participant_id", "livestream"}
)
PROSE_FILLERS = frozenset({"id", "ids", "is", "-", "uuid"})


def _shown(token: str) -> str:
    """``token`` made safe to quote: control characters replaced, backticks neutralised, cut."""
    chars = [
        "\ufffd" if unicodedata.category(ch)[0] == "C" or (ch.isspace() and ch != " ") else ch
        for ch in token
    ]
    text = "".join(chars).replace("`", "'")
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


class IdError(ValueError):
    """Input that holds no usable app or peer ID; ``str(error)`` is safe to show.

    ``token`` is the offending input as shown (cut to ``MAX_SHOWN`` characters, control
    characters replaced) and ``expected`` describes the form that would have worked.
    """

    def __init__(
        self,
        token: str,
        expected: str,
        *,
        what: str = "an app or peer ID",
        reason: str = "",
        message: str | None = None,
    ) -> None:
        self.token = _shown(token)
        self.expected = expected
        if message is None:
            because = f" ({reason})" if reason else ""
            message = f"`{self.token}` is not {what}{because}: expected {expected}"
        super().__init__(message)


@dataclass(frozen=True)
class PeerRef:
    """One peer of one app; both IDs validated and lower case (checked on construction)."""

    app_id: str
    peer_id: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "app_id", validate_app_id(self.app_id))
        object.__setattr__(self, "peer_id", validate_peer_id(self.peer_id))


@dataclass(frozen=True)
class ParsedRefs:
    """What a command asked for: the peers, in order, and an optional drill-down section."""

    refs: tuple[PeerRef, ...]
    section: str | None = None


# --- single IDs -----------------------------------------------------------------------------


def _defect(token: str) -> str:
    """Why ``token`` can never be an ID, in a few words, or ``""`` if nothing obvious."""
    if not token.isascii():
        return "it contains non-ASCII characters; only ASCII hex is allowed"
    if any(unicodedata.category(ch)[0] == "C" or ch.isspace() for ch in token):
        return "it contains whitespace or control characters"
    if len(token) > MAX_WORD:
        return f"it is {len(token)} characters long"
    if ".." in token:
        return "`..` is not allowed"
    if "%" in token:
        return "percent-encoding is not allowed"
    if "?" in token or "#" in token:
        return "`?` and `#` are not allowed"
    if "\\" in token:
        return "`\\` is not allowed"
    if "/" in token:
        return "`/` is only allowed between APP and PEER"
    return ""


def _is_app_id(value: str) -> bool:
    return bool(UUID_RE.fullmatch(value) or HEX32_RE.fullmatch(value))


def _alias_target(name: str, aliases: Mapping[str, str]) -> str | None:
    """The app ID configured for ``name`` (case-insensitive, ASCII names only), or None."""
    if not name.isascii():
        return None
    wanted = name.lower()
    for key, value in aliases.items():
        if key.strip().lower() == wanted:
            return value
    return None


def validate_peer_id(value: str) -> str:
    """``value`` as a peer ID (a UUID, lower-cased), or :class:`IdError`."""
    candidate = value.strip()
    if UUID_RE.fullmatch(candidate):
        return candidate.lower()
    raise IdError(candidate, PEER_FORM, what="a peer ID", reason=_defect(candidate))


def validate_app_id(value: str, aliases: Mapping[str, str] = _NO_ALIASES) -> str:
    """``value`` as an app ID: a UUID or 32 hex characters (lower-cased), or an alias name."""
    candidate = value.strip()
    if _is_app_id(candidate):
        return candidate.lower()
    target = _alias_target(candidate, aliases)
    if target is None:
        raise IdError(candidate, APP_FORM, what="an app ID", reason=_defect(candidate))
    resolved = target.strip()
    if not _is_app_id(resolved):
        raise IdError(
            candidate,
            APP_FORM,
            message=(
                f"app name `{_shown(candidate)}` is configured as `{_shown(resolved)}`, "
                f"which is not an app ID: expected {APP_FORM}"
            ),
        )
    return resolved.lower()


def validate_account_id(value: str) -> str:
    """``value`` as an account ID (32 hex characters, lower-cased), or :class:`IdError`."""
    candidate = value.strip()
    if HEX32_RE.fullmatch(candidate):
        return candidate.lower()
    raise IdError(candidate, ACCOUNT_FORM, what="an account ID", reason=_defect(candidate))


def _default_app_for(token: str, default_app: str | None, aliases: Mapping[str, str]) -> str:
    """The configured default app, for a peer ``token`` that came without one."""
    if default_app is None or not default_app.strip():
        raise IdError(
            token,
            APP_FORM,
            message=f"`{_shown(token)}` is a peer ID but no app was given: {NO_APP_HINT}",
        )
    try:
        return validate_app_id(default_app, aliases)
    except IdError as exc:
        raise IdError(
            default_app,
            APP_FORM,
            message=f"the default app `{exc.token}` is not an app ID: expected {APP_FORM}",
        ) from None


def _unique(refs: list[PeerRef]) -> tuple[PeerRef, ...]:
    """``refs`` without repeats, first appearance kept."""
    return tuple(dict.fromkeys(refs))


# --- URLs -----------------------------------------------------------------------------------


def _check_url(url: str) -> str:
    """``url`` un-escaped from Slack (``&amp;``) if it can be read at all, else IdError."""
    raw = url.strip().replace("&amp;", "&")
    reason = ""
    if len(raw) > MAX_URL:
        reason = f"it is {len(raw)} characters long"
    elif not raw.isascii():
        reason = "it contains non-ASCII characters"
    elif any(unicodedata.category(ch)[0] == "C" or ch.isspace() for ch in raw):
        reason = "it contains whitespace or control characters"
    elif "\\" in raw:
        reason = "`\\` is not allowed"
    elif not URL_START_RE.match(raw):
        reason = "it does not start with http:// or https://"
    if reason:
        raise IdError(raw, URL_FORM, what="a usable URL", reason=reason)
    return raw


def _path_segments(path: str, raw: str) -> list[str]:
    """Non-empty path segments; percent-encoding and ``.``/``..`` segments are refused."""
    segments = [s for s in path.split("/") if s]
    if "%" in path:
        raise IdError(raw, URL_FORM, what="a usable URL", reason="its path is percent-encoded")
    if any(s in (".", "..") for s in segments):
        raise IdError(raw, URL_FORM, what="a usable URL", reason="its path contains `..`")
    return segments


def _query_pairs(query: str) -> list[tuple[str, str]]:
    """``(lower-case key, raw value)`` pairs; values are deliberately not percent-decoded."""
    pairs = []
    for item in query.split("&"):
        key, _, value = item.partition("=")
        pairs.append((key.lower(), value))
    return pairs


def _app_index(segments: list[str], host: str) -> int | None:
    """Index of the app segment: after ``kit``/``apps`` once a ``realtime…`` part was seen."""
    in_realtime = "realtime" in host
    for i, segment in enumerate(segments[:-1]):
        lowered = segment.lower()
        in_realtime = in_realtime or lowered.startswith("realtime")
        if in_realtime and lowered in APP_PARENTS and _is_app_id(segments[i + 1]):
            return i + 1
    return None


def _peer_in_path(segments: list[str], start: int) -> str | None:
    """The UUID after a ``peer-report``/``participants``/``peers`` segment at or after start."""
    lowered = [s.lower() for s in segments]
    for i in range(start, len(segments) - 1):
        if NON_PEER_SEGMENTS.intersection(lowered[start:i]):
            return None
        if lowered[i] in PEER_PARENTS and UUID_RE.fullmatch(segments[i + 1]):
            return segments[i + 1].lower()
    return None


def _trailing_peer(segments: list[str], app_at: int) -> str | None:
    """Dashboard shape ``…/kit/{app}/…/{peer}``: a final UUID that is not a session or such."""
    tail = [s.lower() for s in segments[app_at + 1 :]]
    if not tail or not UUID_RE.fullmatch(tail[-1]) or NON_PEER_SEGMENTS.intersection(tail):
        return None
    parent = tail[-2] if len(tail) > 1 else ""
    return None if parent in SESSION_SEGMENTS else tail[-1]


def _ids_in_path(segments: list[str], host: str) -> tuple[str | None, str | None]:
    """``(app, peer)`` from URL path segments, either possibly None."""
    app_at = _app_index(segments, host)
    if app_at is None:
        return None, _peer_in_path(segments, 0)
    peer = _peer_in_path(segments, app_at + 1) or _trailing_peer(segments, app_at)
    return segments[app_at].lower(), peer


def _only_other_uuid(segments: list[str], pairs: list[tuple[str, str]], app: str) -> str | None:
    """Old Dyte portal links: the single UUID in the link besides the app, if exactly one."""
    values = segments + [value for _, value in pairs]
    found = {v.lower() for v in values if UUID_RE.fullmatch(v)} - {app}
    return found.pop() if len(found) == 1 else None


def refs_from_url(
    url: str, *, default_app: str | None, aliases: Mapping[str, str]
) -> tuple[PeerRef, ...]:
    """The peer a pasted URL points at: ``()`` if it holds none, at most one ref.

    Understands the Cloudflare API (``…/realtime/kit/{app}/sessions/peer-report/{peer}``,
    ``…/sessions/{session}/participants/{peer}``), dashboard shapes (``…/realtime/kit/{app}/…/
    {peer}``, ``…/apps/{app}/…/peers/{peer}``, ``?to=/:account/realtime/…``) and old Dyte portal
    links (``?orgId={app}`` plus one other UUID). The account segment is ignored. A link with a
    peer but no app uses ``default_app`` when there is one. Raises :class:`IdError` only when
    the text cannot be a safe URL (not http(s), non-ASCII, ``..`` or ``%`` in the path, …).
    """
    raw = _check_url(url)
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise IdError(raw, URL_FORM, what="a usable URL", reason="it cannot be parsed") from None
    segments = _path_segments(parts.path, raw)
    pairs = _query_pairs(parts.query)
    app, peer = _ids_in_path(segments, host)
    if app is None and peer is None:
        deep_link = next((v for k, v in pairs if k == "to" and "%" not in v), "")
        if deep_link and ".." not in deep_link:
            app, peer = _ids_in_path([s for s in deep_link.split("/") if s], host)
    app = app or next((v.lower() for k, v in pairs if k in APP_QUERY_KEYS and _is_app_id(v)), None)
    peer = peer or next(
        (v.lower() for k, v in pairs if k in PEER_QUERY_KEYS and UUID_RE.fullmatch(v)), None
    )
    if peer is None and app is not None and host.endswith(DYTE_HOSTS):
        peer = _only_other_uuid(segments, pairs, app)
    if peer is None:
        return ()
    if app is None:
        if default_app is None or not default_app.strip():
            return ()
        app = _default_app_for(peer, default_app, aliases)
    return (PeerRef(app, peer),)


def _url_in(token: str) -> str | None:
    """The URL of a Slack-wrapped ``<url|label>``/``<url>`` or bare URL token, else None."""
    if token.startswith("<") and token.endswith(">"):
        target = token[1:-1].split("|", 1)[0]
        return target if URL_START_RE.match(target) else None
    return token if URL_START_RE.match(token) else None


# --- strict: command text -------------------------------------------------------------------


@dataclass(frozen=True)
class _App:
    """A word naming an app: ``prod``, 32 hex, ``app=…``; the peers after it belong to it."""

    app_id: str
    token: str
    named: bool


@dataclass(frozen=True)
class _Peer:
    """A bare UUID (maybe the app, by position) or a ``peer=…`` (always a peer)."""

    peer_id: str
    token: str
    named: bool


@dataclass(frozen=True)
class _Refs:
    """Words that are complete on their own: ``APP/PEER`` and URLs."""

    refs: tuple[PeerRef, ...]


_Item = _App | _Peer | _Refs


def _unknown_word(token: str, aliases: Mapping[str, str]) -> IdError:
    """The error for a word that is no ID, no configured name and no known form."""
    expected = REF_FORM
    if aliases:
        names = ", ".join(sorted(_shown(name) for name in aliases)[:5])
        expected = f"{REF_FORM}; configured app names: {names}"
    return IdError(token, expected, what="a peer ID or app", reason=_defect(token))


def _named_item(token: str, aliases: Mapping[str, str]) -> _Item:
    """``app=…`` or ``peer=…``."""
    key, _, value = token.partition("=")
    if key.lower() in APP_KEYS:
        return _App(validate_app_id(value, aliases), token, named=True)
    if key.lower() in PEER_KEYS:
        return _Peer(validate_peer_id(value), value, named=True)
    raise IdError(token, "app=APP or peer=PEER", what="a known setting")


def _slash_item(token: str, aliases: Mapping[str, str]) -> _Item:
    """``APP/PEER``."""
    app, _, peer = token.partition("/")
    if not app or not peer or "/" in peer:
        raise IdError(token, f"APP/PEER ({PEER_FORM} after one `/`)", what="APP/PEER")
    return _Refs((PeerRef(validate_app_id(app, aliases), validate_peer_id(peer)),))


def _url_item(url: str, *, default_app: str | None, aliases: Mapping[str, str]) -> _Item:
    """A pasted URL that must hold a peer."""
    refs = refs_from_url(url, default_app=default_app, aliases=aliases)
    if not refs:
        raise IdError(
            url,
            URL_FORM,
            message=f"`{_shown(url)}` holds no app and peer ID I recognise: expected {URL_FORM}",
        )
    return _Refs(refs)


def _strict_item(
    token: str, *, default_app: str | None, aliases: Mapping[str, str], allow_section: bool
) -> _Item:
    """One word of command text, understood or :class:`IdError`."""
    url = _url_in(token)
    if url is not None:
        return _url_item(url, default_app=default_app, aliases=aliases)
    if UUID_RE.fullmatch(token):
        return _Peer(token.lower(), token, named=False)
    if HEX32_RE.fullmatch(token) or _alias_target(token, aliases) is not None:
        return _App(validate_app_id(token, aliases), token, named=False)
    if allow_section and token.lower() in SECTIONS:
        raise IdError(
            token,
            REF_FORM,
            message=f"`{token}` must come last, after the peer IDs: expected {REF_FORM}",
        )
    reason = _defect(token)
    if reason and not reason.startswith("`/`"):
        raise IdError(token, REF_FORM, what="a peer ID or app", reason=reason)
    if "=" in token:
        return _named_item(token, aliases)
    if "/" in token:
        return _slash_item(token, aliases)
    raise _unknown_word(token, aliases)


def _leading_app(
    lead: list[_Peer],
    *,
    adjacent: bool,
    first_app: _App | None,
    default_app: str | None,
    aliases: Mapping[str, str],
) -> tuple[str, _Peer | None, _App | None]:
    """App for the peers written before any app word.

    Returns the app, the leading peer that *is* the app (if so) and the later app word the
    peers adopted (if so): ``PEER`` -> default app; ``UUID UUID…`` (``adjacent``: the first
    two words of the text) -> the first is the app; ``peer=P app=A`` -> A.
    """
    if all(p.named for p in lead) and first_app is not None:
        return first_app.app_id, None, first_app
    if len(lead) >= 2 and not lead[0].named and adjacent:
        return lead[0].peer_id, lead[0], None
    return _default_app_for(lead[0].token, default_app, aliases), None, None


def _no_peer_for(app: _App) -> IdError:
    """The error for an app word that no peer follows (``/peer-report prod``)."""
    shown = _shown(app.token)
    return IdError(
        app.token,
        PEER_FORM,
        message=f"`{shown}` names an app but no peer ID follows it: "
        f"expected APP PEER, e.g. `{shown} {EXAMPLE_PEER}`",
    )


def _resolve(
    items: list[_Item], *, default_app: str | None, aliases: Mapping[str, str]
) -> list[PeerRef]:
    """Pair every peer with its app, in order of appearance; an app without peers is an error."""
    lead: list[_Peer] = []
    for item in items:
        if isinstance(item, _App):
            break
        if isinstance(item, _Peer):
            lead.append(item)
    first_app = next((i for i in items if isinstance(i, _App)), None)
    lead_app, app_peer, adopted = "", None, None
    if lead:
        adjacent = items[:2] == lead[:2]
        lead_app, app_peer, adopted = _leading_app(
            lead, adjacent=adjacent, first_app=first_app, default_app=default_app, aliases=aliases
        )
    refs: list[PeerRef] = []
    current: _App | None = None
    answered: set[int] = {id(adopted)} if adopted is not None else set()
    for item in items:
        if isinstance(item, _Refs):
            refs.extend(item.refs)
        elif isinstance(item, _App):
            current = item
        elif current is not None:
            refs.append(PeerRef(current.app_id, item.peer_id))
            answered.add(id(current))
        elif item is not app_peer:
            refs.append(PeerRef(lead_app, item.peer_id))
    unanswered = [i for i in items if isinstance(i, _App) and id(i) not in answered]
    if unanswered:
        raise _no_peer_for(unanswered[0])
    return refs


def parse_refs(
    text: str,
    *,
    default_app: str | None,
    aliases: Mapping[str, str],
    allow_section: bool = True,
) -> ParsedRefs:
    """Every peer reference in command text; strict (:class:`IdError` for any unknown word).

    Accepts ``PEER`` (default app), ``APP PEER [PEER…]``, ``UUID UUID…`` (the first is the
    app), ``APP/PEER``, ``app=APP peer=PEER``, alias names for APP, pasted (Slack-wrapped)
    URLs, all mixed and repeated, and with ``allow_section`` a final section word from
    :data:`SECTIONS`. Repeats are dropped, order is kept.
    """
    tokens: list[str] = TOKEN_RE.findall(text)
    section = None
    if allow_section and tokens and tokens[-1].lower() in SECTIONS:
        section = tokens.pop().lower()
    if not tokens:
        raise IdError(text.strip(), REF_FORM, message=f"no peer ID given: expected {REF_FORM}")
    items = [
        _strict_item(t, default_app=default_app, aliases=aliases, allow_section=allow_section)
        for t in tokens
    ]
    refs = _unique(_resolve(items, default_app=default_app, aliases=aliases))
    if not refs:
        raise IdError(text, REF_FORM, message=f"no peer ID found: expected {REF_FORM}")
    return ParsedRefs(refs, section)


# --- lenient: message text ------------------------------------------------------------------


def _prose_label(part: str, label: str | None) -> str | None:
    """The label a non-ID word gives the IDs after it: ``app``, ``peer``, ``other`` or None."""
    word = part.lower()
    if word in PROSE_APP_LABELS:
        return "app"
    if word in PROSE_PEER_LABELS:
        return "peer"
    if word in PROSE_OTHER_LABELS:
        return "other"
    return label if word in PROSE_FILLERS else None


def _is_slash_ref(part: str, aliases: Mapping[str, str]) -> bool:
    """Whether ``part`` is a well-formed ``APP/PEER``."""
    app, _, peer = part.partition("/")
    app_ok = _is_app_id(app) or _alias_target(app, aliases) is not None
    return app_ok and UUID_RE.fullmatch(peer) is not None


def _prose_link(url: str, *, default_app: str | None, aliases: Mapping[str, str]) -> _Refs:
    """The refs in a link found in prose; nothing when it is unusable."""
    try:
        refs = refs_from_url(url.rstrip(_URL_TRAILING), default_app=default_app, aliases=aliases)
    except IdError:
        refs = ()
    return _Refs(refs)


def _prose_items(text: str, *, default_app: str | None, aliases: Mapping[str, str]) -> list[_Item]:
    """Apps, peers and complete refs mentioned in prose, in order; everything else skipped.

    The word before an ID says what it is: ``app 14a3…`` is an app, ``session 8134…`` is
    skipped, and an unlabelled UUID is a peer. A 32-hex word counts only after ``app``
    (it may as well be an account or trace ID).
    """
    items: list[_Item] = []
    label: str | None = None
    for token in TOKEN_RE.findall(text):
        url = _url_in(token)
        if url is not None:
            items.append(_prose_link(url, default_app=default_app, aliases=aliases))
            label = None
            continue
        for raw_part in PROSE_SPLIT_RE.split(token):
            part = raw_part.strip("*_~")
            if not part:
                continue
            is_uuid = UUID_RE.fullmatch(part) is not None
            if label == "app" and (is_uuid or HEX32_RE.fullmatch(part)):
                items.append(_App(part.lower(), part, named=True))
                label = "peer"
            elif is_uuid:
                if label != "other":
                    items.append(_Peer(part.lower(), part, named=True))
            elif "/" in part and _is_slash_ref(part, aliases):
                app, _, peer = part.partition("/")
                items.append(_Refs((PeerRef(validate_app_id(app, aliases), peer),)))
                label = None
            elif _alias_target(part, aliases) is not None:
                items.append(_App(validate_app_id(part, aliases), part, named=True))
                label = None
            else:
                label = _prose_label(part, label)
    return items


def find_refs(
    text: str, *, default_app: str | None, aliases: Mapping[str, str]
) -> tuple[PeerRef, ...]:
    """Every peer reference in arbitrary message text; lenient, never fails on the text.

    Finds URLs (Slack-wrapped or bare), ``APP/PEER``, ``app=…``/``peer=…``, ``app <id>``,
    alias names and bare peer UUIDs, and ignores every other word. A peer belongs to the
    latest app mentioned before it, else to the first one mentioned after it, else to
    ``default_app``; with none of those it is skipped. Repeats are dropped, order is kept.
    Raises :class:`IdError` only for bad settings (``default_app`` or an alias target).
    """
    items = _prose_items(text, default_app=default_app, aliases=aliases)
    first_app = next((i.app_id for i in items if isinstance(i, _App)), None)
    refs: list[PeerRef] = []
    current: str | None = None
    for item in items:
        if isinstance(item, _Refs):
            refs.extend(item.refs)
        elif isinstance(item, _App):
            current = item.app_id
        else:
            app = current or first_app
            if app is None and default_app is not None and default_app.strip():
                app = _default_app_for(item.token, default_app, aliases)
            if app is not None:
                refs.append(PeerRef(app, item.peer_id))
    return _unique(refs)


# --- sessions -------------------------------------------------------------------------------

SESSION_WORDS = frozenset({"session", "sessions"})
EXAMPLE_SESSION = "813432c7-3c5a-45e2-9acf-eef7061c7584"
SESSION_FORM = (
    "session SESSION, session APP SESSION, APP session SESSION or an API URL "
    "…/realtime/kit/APP/sessions/SESSION (SESSION is a UUID like "
    f"{EXAMPLE_SESSION})"
)


@dataclass(frozen=True)
class SessionRef:
    """One session of one app; both IDs validated and lower case (checked on construction)."""

    app_id: str
    session_id: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "app_id", validate_app_id(self.app_id))
        object.__setattr__(self, "session_id", validate_session_id(self.session_id))


def validate_session_id(value: str) -> str:
    """``value`` as a session ID (a UUID, lower-cased), or :class:`IdError`."""
    candidate = value.strip()
    if UUID_RE.fullmatch(candidate):
        return candidate.lower()
    raise IdError(
        candidate,
        f"a UUID like {EXAMPLE_SESSION}",
        what="a session ID",
        reason=_defect(candidate),
    )


def session_from_url(url: str) -> tuple[str | None, str] | None:
    """``(app or None, session)`` from a URL ``…/realtime/kit/{app}/sessions/{session}``.

    ``None`` when the URL names no session, or names a peer (``/peer-report/``,
    ``/participants/{peer}``): those are peer links. Raises :class:`IdError` for a URL that
    cannot be read safely (as :func:`refs_from_url` does).
    """
    raw = _check_url(url)
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise IdError(raw, URL_FORM, what="a usable URL", reason="it cannot be parsed") from None
    segments = _path_segments(parts.path, raw)
    lowered = [s.lower() for s in segments]
    if PEER_PARENTS.intersection(lowered[:-1]) and any(
        lowered[i] in PEER_PARENTS and UUID_RE.fullmatch(segments[i + 1])
        for i in range(len(segments) - 1)
    ):
        return None
    app_at = _app_index(segments, host)
    for i in range(len(segments) - 1):
        if lowered[i] in SESSION_SEGMENTS and UUID_RE.fullmatch(segments[i + 1]):
            app = segments[app_at].lower() if app_at is not None and app_at < i else None
            return app, segments[i + 1].lower()
    return None


def mentions_session(text: str) -> bool:
    """Whether command text asks for a whole session (the word ``session`` or a session URL)."""
    for token in TOKEN_RE.findall(text):
        if token.lower() in SESSION_WORDS:
            return True
        url = _url_in(token)
        if url is not None:
            try:
                if session_from_url(url) is not None:
                    return True
            except IdError:
                continue
    return False


def _session_error(token: str, message: str | None = None) -> IdError:
    return IdError(
        token,
        SESSION_FORM,
        message=message
        or f"`{_shown(token)}` is not part of a session reference: expected {SESSION_FORM}",
    )


def parse_session_ref(
    text: str,
    *,
    default_app: str | None,
    aliases: Mapping[str, str],
    require_word: bool = True,
) -> SessionRef:
    """The session a command names; strict (:class:`IdError` for anything else).

    Accepts ``session SESSION`` (default app), ``session APP SESSION``, ``APP session SESSION``
    and an API URL ``…/realtime/kit/{app}/sessions/{session}`` (with or without the word).
    The word ``session`` is required (session and peer IDs are both UUIDs) unless
    ``require_word`` is False (the CLI's ``session`` subcommand already said it). APP may be an
    alias name.
    """
    tokens: list[str] = TOKEN_RE.findall(text)
    words = [t for t in tokens if t.lower() in SESSION_WORDS]
    if len(words) > 1:
        raise _session_error(words[1], f"`session` appears twice: expected {SESSION_FORM}")
    if require_word and not words and not any(_url_in(t) for t in tokens):
        raise _session_error(text.strip(), f"no `session` word: expected {SESSION_FORM}")
    rest = [t for t in tokens if t.lower() not in SESSION_WORDS]
    # ``APP session SESSION``: exactly one word before ``session``.
    app_first = bool(words) and tokens[0].lower() not in SESSION_WORDS
    if app_first and (len(tokens) != 3 or tokens[1].lower() not in SESSION_WORDS):
        raise _session_error(tokens[0], f"expected {SESSION_FORM}")
    if not rest:
        raise _session_error(text.strip(), f"no session ID given: expected {SESSION_FORM}")
    if len(rest) == 1 and (url := _url_in(rest[0])) is not None:
        found = session_from_url(url)
        if found is None:
            raise IdError(
                url,
                SESSION_FORM,
                message=f"`{_shown(url)}` holds no session ID I recognise (a peer link is "
                f"looked up without the word `session`): expected {SESSION_FORM}",
            )
        app, session = found
        if app is None:
            app = _default_app_for(session, default_app, aliases)
        return SessionRef(app, session)
    for token in rest:
        if _url_in(token) is not None:
            raise _session_error(token, f"give a URL on its own: expected {SESSION_FORM}")
    if len(rest) > 2:
        raise _session_error(rest[2], f"too many words: expected {SESSION_FORM}")
    session_token = rest[-1]
    session = validate_session_id(session_token)
    if len(rest) == 2:
        return SessionRef(validate_app_id(rest[0], aliases), session)
    if default_app is None or not default_app.strip():
        raise IdError(
            session_token,
            APP_FORM,
            message=f"`{_shown(session_token)}` is a session ID but no app was given: "
            f"{NO_APP_HINT.replace('APP PEER or APP/PEER', 'session APP SESSION')}",
        )
    return SessionRef(_default_app_for(session_token, default_app, aliases), session)
