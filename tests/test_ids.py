"""bot.ids: every accepted way to name a peer, every rejection, and properties that must hold."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ids import (
    SECTIONS,
    IdError,
    ParsedRefs,
    PeerRef,
    find_refs,
    parse_refs,
    refs_from_url,
    validate_account_id,
    validate_app_id,
    validate_peer_id,
)

APP = "14a396e7-ca44-4937-bf1f-050a69118543"
APP2 = "f233a0a4-afa0-4afd-9969-971d77e799d8"
APP_HEX = "2a95132c15732412d22c1476fa83f27a"
PEER = "79d87ca5-7e47-452a-b3c1-b6842ad84bf5"
PEER2 = "813432c7-3c5a-45e2-9acf-eef7061c7584"
PEER3 = "6bf2b8be-04dd-4191-b602-1128921a306b"
SESSION = "0f7e6d5c-4b3a-4291-8807-f6e5d4c3b2a1"
ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
ALIASES = {"prod": APP, "Staging": APP2}
API = "https://api.cloudflare.com/client/v4"
PEER_ID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def ref(app: str, peer: str) -> PeerRef:
    return PeerRef(app, peer)


def parse(text: str, default_app: str | None = None, **kwargs: bool) -> ParsedRefs:
    return parse_refs(text, default_app=default_app, aliases=ALIASES, **kwargs)


def find(text: str, default_app: str | None = None) -> tuple[PeerRef, ...]:
    return find_refs(text, default_app=default_app, aliases=ALIASES)


# --- single IDs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(PEER, PEER), (PEER.upper(), PEER), (f"  {PEER}\n", PEER)],
)
def test_validate_peer_id_accepts_and_normalises(value: str, expected: str) -> None:
    assert validate_peer_id(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        PEER.replace("-", ""),  # 32 hex is an app or account, never a peer
        "{" + PEER + "}",
        f"urn:uuid:{PEER}",
        PEER[:-1] + "а",  # Cyrillic a
        PEER[:-1] + "１",  # fullwidth digit one
        PEER[:8] + " " + PEER[8:],
        PEER[:8] + "\x00" + PEER[9:],
        PEER + "/..",
        PEER + "%2F",
        PEER + "?x=1",
        PEER + "#x",
        PEER + "0",
    ],
)
def test_validate_peer_id_rejects(value: str) -> None:
    with pytest.raises(IdError) as info:
        validate_peer_id(value)
    assert "peer ID" in str(info.value)
    assert info.value.expected.startswith("a UUID like")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (APP, APP),
        (APP.upper(), APP),
        (APP_HEX, APP_HEX),
        (APP_HEX.upper(), APP_HEX),
        ("prod", APP),
        ("PROD", APP),
        ("staging", APP2),  # configured as "Staging": names compare case-insensitively
    ],
)
def test_validate_app_id_accepts(value: str, expected: str) -> None:
    assert validate_app_id(value, ALIASES) == expected


@pytest.mark.parametrize(
    "value", ["dev", "", APP_HEX + "0", APP_HEX[:-1] + "g", "prоd", "prod/x", "\u212aube"]
)
def test_validate_app_id_rejects(value: str) -> None:
    with pytest.raises(IdError) as info:
        validate_app_id(value, {**ALIASES, "kube": APP})
    assert "app ID" in str(info.value)


def test_validate_app_id_without_aliases_rejects_names() -> None:
    with pytest.raises(IdError, match="`prod` is not an app ID"):
        validate_app_id("prod")


def test_alias_pointing_at_a_bad_app_id_is_reported() -> None:
    with pytest.raises(IdError, match="configured as `not-an-id`"):
        validate_app_id("broken", {"broken": "not-an-id"})


@pytest.mark.parametrize("value", [ACCOUNT, ACCOUNT.upper(), f" {ACCOUNT} "])
def test_validate_account_id_accepts(value: str) -> None:
    assert validate_account_id(value) == ACCOUNT


@pytest.mark.parametrize("value", ["", APP, ACCOUNT[:-1], ACCOUNT + "%2F", ACCOUNT[:-1] + "ｆ"])
def test_validate_account_id_rejects(value: str) -> None:
    with pytest.raises(IdError, match="account ID"):
        validate_account_id(value)


def test_peer_ref_normalises_and_validates() -> None:
    assert PeerRef(APP.upper(), PEER.upper()) == PeerRef(APP, PEER)
    with pytest.raises(IdError):
        PeerRef(APP, "../x")


# --- parse_refs: accepted forms -------------------------------------------------------------

DASH = f"https://dash.cloudflare.com/{ACCOUNT}"

ACCEPTED: list[tuple[str, str | None, tuple[PeerRef, ...]]] = [
    # (text, default app, refs)
    (PEER, APP, (ref(APP, PEER),)),
    (PEER.upper(), APP, (ref(APP, PEER),)),
    (f"  {PEER}  ", "prod", (ref(APP, PEER),)),  # the default app may itself be an alias
    (f"{APP} {PEER}", None, (ref(APP, PEER),)),
    (f"{APP} {PEER} {PEER2} {PEER3}", None, (ref(APP, PEER), ref(APP, PEER2), ref(APP, PEER3))),
    (f"{APP_HEX} {PEER}", None, (ref(APP_HEX, PEER),)),
    (f"{APP_HEX.upper()} {PEER}", None, (ref(APP_HEX, PEER),)),
    (f"{APP}/{PEER}", None, (ref(APP, PEER),)),
    (f"{APP_HEX}/{PEER}", None, (ref(APP_HEX, PEER),)),
    (f"prod {PEER}", None, (ref(APP, PEER),)),
    (f"PROD {PEER} {PEER2}", None, (ref(APP, PEER), ref(APP, PEER2))),
    (f"prod/{PEER}", None, (ref(APP, PEER),)),
    (f"staging/{PEER}", None, (ref(APP2, PEER),)),
    (f"app={APP} peer={PEER}", None, (ref(APP, PEER),)),
    (f"peer={PEER} app={APP}", None, (ref(APP, PEER),)),
    (f"app=prod peer={PEER} peer={PEER2}", None, (ref(APP, PEER), ref(APP, PEER2))),
    (f"app_id={APP} peer_id={PEER}", None, (ref(APP, PEER),)),
    (f"peer={PEER}", APP2, (ref(APP2, PEER),)),
    (f"app={APP} {PEER}", None, (ref(APP, PEER),)),
    # several apps, mixed forms, repeated
    (
        f"prod/{PEER} staging/{PEER2} {APP2}/{PEER3}",
        None,
        (ref(APP, PEER), ref(APP2, PEER2), ref(APP2, PEER3)),
    ),
    (f"prod {PEER} staging {PEER2}", None, (ref(APP, PEER), ref(APP2, PEER2))),
    (f"{PEER} prod/{PEER2}", APP2, (ref(APP2, PEER), ref(APP, PEER2))),
    (f"prod/{PEER}, prod/{PEER2}", None, (ref(APP, PEER), ref(APP, PEER2))),
    # dedupe keeps the first appearance
    (f"prod/{PEER} {APP}/{PEER} prod {PEER.upper()}", None, (ref(APP, PEER),)),
    (f"{APP} {PEER} {PEER2} {PEER}", None, (ref(APP, PEER), ref(APP, PEER2))),
    (f"{PEER2} prod/{PEER} {PEER2}", APP, (ref(APP, PEER2), ref(APP, PEER))),
    # URLs
    (
        f"{API}/accounts/{ACCOUNT}/realtime/kit/{APP}/sessions/peer-report/{PEER}",
        None,
        (ref(APP, PEER),),
    ),
    (
        f"{API}/accounts/{ACCOUNT}/realtime/kit/{APP}/sessions/peer-report/{PEER}"
        "?filters=device_info&include_peer_events=true",
        None,
        (ref(APP, PEER),),
    ),
    (
        f"{API}/accounts/{ACCOUNT}/realtime/kit/{APP}/sessions/{SESSION}/participants/{PEER}",
        None,
        (ref(APP, PEER),),
    ),
    (
        f"{API}/accounts/{ACCOUNT}/realtime/kit/{APP_HEX.upper()}/sessions/peer-report/{PEER.upper()}",
        None,
        (ref(APP_HEX, PEER),),
    ),
    (f"{DASH}/realtime/kit/{APP}/sessions/{SESSION}/{PEER}", None, (ref(APP, PEER),)),
    (f"{DASH}/realtime/kit/{APP}/sessions/{SESSION}/participants/{PEER}", None, (ref(APP, PEER),)),
    (f"{DASH}/realtime/apps/{APP}/sessions/{SESSION}/peers/{PEER}", None, (ref(APP, PEER),)),
    (f"{DASH}/realtime/apps/{APP}/peers/{PEER}?tab=events#top", None, (ref(APP, PEER),)),
    (
        f"https://dash.cloudflare.com/?to=/:account/realtime/kit/{APP}/peers/{PEER}",
        None,
        (ref(APP, PEER),),
    ),
    (f"https://dev.dyte.io/sessions?orgId={APP}&search={PEER}", None, (ref(APP, PEER),)),
    (f"https://dev.dyte.io/sessions?orgId={APP}&amp;search={PEER}", None, (ref(APP, PEER),)),
    (f"https://dev.dyte.io/sessions/{PEER}?orgId={APP}", None, (ref(APP, PEER),)),
    (f"https://example.com/debug?app_id={APP}&peer_id={PEER}", None, (ref(APP, PEER),)),
    (
        f"{API}/accounts/{ACCOUNT}/realtime/kit/sessions/peer-report/{PEER}",
        APP2,
        (ref(APP2, PEER),),
    ),
    # Slack link wrapping (labels may hold spaces)
    (
        f"<{API}/accounts/{ACCOUNT}/realtime/kit/{APP}/sessions/peer-report/{PEER}>",
        None,
        (ref(APP, PEER),),
    ),
    (
        f"<{API}/accounts/{ACCOUNT}/realtime/kit/{APP}/sessions/peer-report/{PEER}?x=1|the report>",
        None,
        (ref(APP, PEER),),
    ),
    (
        f"<https://dev.dyte.io/sessions?orgId={APP}&amp;search={PEER}|dyte> prod/{PEER2}",
        None,
        (ref(APP, PEER), ref(APP, PEER2)),
    ),
]


@pytest.mark.parametrize(("text", "default_app", "expected"), ACCEPTED)
def test_parse_refs_accepts(
    text: str, default_app: str | None, expected: tuple[PeerRef, ...]
) -> None:
    assert parse(text, default_app) == ParsedRefs(expected, None)


@pytest.mark.parametrize("section", SECTIONS)
def test_parse_refs_final_section_word(section: str) -> None:
    assert parse(f"prod {PEER} {section.upper()}") == ParsedRefs((ref(APP, PEER),), section)


def test_section_words_are_ordinary_bad_words_when_not_allowed() -> None:
    with pytest.raises(IdError, match="`events` is not a peer ID"):
        parse(f"prod {PEER} events", allow_section=False)


def test_section_word_must_come_last() -> None:
    with pytest.raises(IdError, match="`events` must come last"):
        parse(f"prod events {PEER}")


# --- parse_refs: rejections -----------------------------------------------------------------

REJECTED: list[tuple[str, str | None, str]] = [
    # (text, default app, token the message must name)
    ("abc/../x", APP, "abc/../x"),
    (f"{APP}/../{PEER}", None, f"{APP}/../{PEER}"[:39]),
    (f"{APP}/{PEER}/x", None, f"{APP}/{PEER}"[:39]),
    (f"{PEER}%2F", APP, f"{PEER}%2F"[:39]),
    (f"{APP}%2F{PEER}", None, f"{APP}%2F{PEER}"[:39]),
    (f"{PEER}?x", APP, f"{PEER}?x"[:39]),
    (f"{PEER}#x", APP, f"{PEER}#x"[:39]),
    (f"{APP}\\{PEER}", None, f"{APP}\\{PEER}"[:39]),
    (PEER[:-1] + "а", APP, PEER[:-1] + "а"),
    (PEER[:-1] + "５", APP, PEER[:-1] + "５"),
    (f"prod {PEER[:13]} {PEER[13:]}", None, PEER[:13]),
    (f"prod {PEER[:8]}\x01{PEER[9:]}", None, f"{PEER[:8]}\ufffd{PEER[9:]}"[:39]),
    ("x" * 500, APP, "x" * 39),
    ("dev " + PEER, None, "dev"),
    (f"{PEER} hello", APP, "hello"),
    (f"app:{APP} {PEER}", None, f"app:{APP}"[:39]),
    (f"foo={APP} {PEER}", None, f"foo={APP}"[:39]),
    (f"peer=abc app={APP}", None, "abc"),
    (f"app=dev peer={PEER}", None, "dev"),
    (f"dev/{PEER}", None, "dev"),
    (f"prod/{PEER2[:-1]}", None, PEER2[:-1]),
    (f"/{PEER}", APP, f"/{PEER}"),
    (f"<@U123ABC> {PEER}", APP, "<@U123ABC>"),
    (f"<#C123|general> {PEER}", APP, "<#C123|general>"),
    ("prod", None, "prod"),
    (APP_HEX, None, APP_HEX),
    (f"prod {PEER} staging", None, "staging"),
    (PEER, None, PEER),  # one bare UUID and no default app
    (f"peer={PEER}", None, PEER),
    (f"https://example.com/{PEER}", APP, f"https://example.com/{PEER}"[:39]),
    (f"{API}/accounts/{ACCOUNT}/realtime/kit/{APP}/sessions/{SESSION}", None, API[:39]),
    (
        f"{API}/accounts/{ACCOUNT}/realtime/kit/{APP}/meetings/{SESSION}/participants/{PEER}",
        None,
        API[:39],
    ),
    (f"{DASH}/realtime/kit/{APP}/sessions/../{PEER}", None, DASH[:39]),
    (f"{DASH}/realtime/kit/{APP}/sessions/%2e%2e/{PEER}", None, DASH[:39]),
    (f"{DASH}/realtime/kit/{APP}/peers/{PEER[:-1]}а", None, DASH[:39]),
    (
        f"https://dev.dyte.io/sessions?orgId={APP}&search={PEER}&other={PEER2}",
        None,
        "https://dev.dyte.io/sessions?orgId=14a",
    ),
    (f"ftp://example.com/{APP}/{PEER}", None, "ftp://example.com/"),
]


@pytest.mark.parametrize(("text", "default_app", "token"), REJECTED)
def test_parse_refs_rejects_and_names_the_token(
    text: str, default_app: str | None, token: str
) -> None:
    with pytest.raises(IdError) as info:
        parse(text, default_app)
    message = str(info.value)
    assert f"`{token}" in message
    assert token.startswith(info.value.token.rstrip("…")) or info.value.token.startswith(token)
    assert "\n" not in message and "\x01" not in message
    assert info.value.expected


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "events"])
def test_parse_refs_rejects_empty_text(text: str) -> None:
    with pytest.raises(IdError, match="no peer ID"):
        parse(text, APP)


def test_missing_default_app_says_what_to_do() -> None:
    with pytest.raises(IdError) as info:
        parse(PEER)
    assert PEER in str(info.value)
    assert "REALTIMEKIT_APP_ID" in str(info.value)


def test_bad_default_app_is_reported() -> None:
    with pytest.raises(IdError, match="default app `nope`"):
        parse(PEER, "nope")


def test_long_tokens_are_truncated_in_the_message() -> None:
    token = "z" * 5000
    with pytest.raises(IdError) as info:
        parse(token, APP)
    assert len(info.value.token) <= 40
    assert len(str(info.value)) < 400


def test_unknown_word_lists_configured_names() -> None:
    with pytest.raises(IdError, match="configured app names: Staging, prod"):
        parse(f"dev {PEER}")


def test_backticks_cannot_break_out_of_the_quoted_token() -> None:
    with pytest.raises(IdError) as info:
        parse("`<!channel>`", APP)
    assert info.value.token == "'<!channel>'"


# --- refs_from_url --------------------------------------------------------------------------


def test_refs_from_url_returns_nothing_for_a_url_without_a_peer() -> None:
    assert refs_from_url("https://example.com/", default_app=APP, aliases={}) == ()
    assert refs_from_url(f"{DASH}/realtime/kit/{APP}", default_app=None, aliases={}) == ()


@pytest.mark.parametrize(
    "url", ["not a url", "javascript:alert(1)", "https://ex.com/\x00", "https://[::1"]
)
def test_refs_from_url_rejects_what_is_no_url(url: str) -> None:
    with pytest.raises(IdError):
        refs_from_url(url, default_app=APP, aliases={})


# --- find_refs ------------------------------------------------------------------------------

FOUND: list[tuple[str, str | None, tuple[PeerRef, ...]]] = [
    (f"Hi team, peer {PEER} had choppy audio.", APP, (ref(APP, PEER),)),
    (f"Hi team, peer {PEER} had choppy audio.", None, ()),
    (f"peer {PEER} in app {APP2}", None, (ref(APP2, PEER),)),
    (
        f"app id: {APP_HEX}, peer ids: {PEER}, {PEER2}",
        None,
        (ref(APP_HEX, PEER), ref(APP_HEX, PEER2)),
    ),
    (f"session {SESSION} peer {PEER}", APP, (ref(APP, PEER),)),
    (f"account {ACCOUNT} trace {APP_HEX} peer `{PEER}`", APP, (ref(APP, PEER),)),
    (f"in prod: *{PEER}* and _{PEER2}_", None, (ref(APP, PEER), ref(APP, PEER2))),
    (f"prod {PEER} then staging {PEER2}", None, (ref(APP, PEER), ref(APP2, PEER2))),
    (f"see prod/{PEER}, staging/{PEER2}.", None, (ref(APP, PEER), ref(APP2, PEER2))),
    (f"(app={APP} peer={PEER})", None, (ref(APP, PEER),)),
    (f'{{"app_id": "{APP}", "peer_id": "{PEER}"}}', None, (ref(APP, PEER),)),
    (
        f"look <{API}/accounts/{ACCOUNT}/realtime/kit/{APP}/sessions/peer-report/{PEER}|here> "
        f"and <https://dev.dyte.io/sessions?orgId={APP2}&amp;search={PEER2}>",
        None,
        (ref(APP, PEER), ref(APP2, PEER2)),
    ),
    (f"bare link {DASH}/realtime/kit/{APP}/peers/{PEER}. thanks", None, (ref(APP, PEER),)),
    (
        f"dupes: prod/{PEER} {PEER} {APP}/{PEER.upper()} prod/{PEER2}",
        None,
        (ref(APP, PEER), ref(APP, PEER2)),
    ),
    (f"look-alike {PEER[:-1]}а and {PEER[:8]}%2F{PEER[9:]}", APP, ()),
    (f"<{DASH}/realtime/kit/{APP}/sessions/../{PEER}> traversal", None, ()),
    (f"<@U123> <!channel> nothing to see, {SESSION[:-1]}", APP, ()),
    ("", APP, ()),
]


@pytest.mark.parametrize(("text", "default_app", "expected"), FOUND)
def test_find_refs(text: str, default_app: str | None, expected: tuple[PeerRef, ...]) -> None:
    assert find(text, default_app) == expected


# --- properties -----------------------------------------------------------------------------

ID_PIECES = st.sampled_from(
    [
        PEER,
        PEER2.upper(),
        APP,
        APP_HEX,
        ACCOUNT,
        "prod",
        "Staging",
        "events",
        "raw",
        "/",
        "..",
        "%2F",
        "?",
        "#",
        "=",
        "app=",
        "peer=",
        "<",
        ">",
        "|",
        "&amp;",
        "https://",
        API,
        "/realtime/kit/",
        "/peer-report/",
        "/participants/",
        "dev.dyte.io/?orgId=",
        "а",
        "５",
        "\x00",
        " ",
        "\n",
        "\u200b",
    ]
)
MIXED_TEXT = st.lists(st.one_of(ID_PIECES, st.text(max_size=12)), max_size=12).map("".join)
DEFAULT_APPS = st.sampled_from([None, APP, "prod", "bogus", ""])


def assert_safe(refs: tuple[PeerRef, ...]) -> None:
    assert len(set(refs)) == len(refs)
    for found in refs:
        assert PEER_ID_RE.match(found.peer_id)
        assert re.fullmatch(r"[0-9a-f]{32}|[0-9a-f-]{36}", found.app_id)
        for value in (found.app_id, found.peer_id):
            assert value.isascii()
            assert not any(ch in value for ch in "/%. \t\n")


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(), MIXED_TEXT), default_app=DEFAULT_APPS, section=st.booleans())
def test_parse_refs_only_raises_id_error_and_returns_safe_ids(
    text: str, default_app: str | None, section: bool
) -> None:
    try:
        parsed = parse_refs(text, default_app=default_app, aliases=ALIASES, allow_section=section)
    except IdError as exc:
        assert exc.expected
        assert len(exc.token) <= 40
        assert "\n" not in str(exc)
        return
    assert parsed.refs
    assert parsed.section is None or parsed.section in SECTIONS
    assert_safe(parsed.refs)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(), MIXED_TEXT), default_app=DEFAULT_APPS)
def test_find_refs_only_raises_id_error_and_returns_safe_ids(
    text: str, default_app: str | None
) -> None:
    try:
        refs = find_refs(text, default_app=default_app, aliases=ALIASES)
    except IdError:
        assert default_app == "bogus"  # only bad settings may raise, never the text
        return
    assert_safe(refs)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(), MIXED_TEXT))
def test_find_refs_never_raises_for_prose_with_good_settings(text: str) -> None:
    assert_safe(find_refs(text, default_app=APP, aliases=ALIASES))


@given(st.uuids(), st.uuids(), st.booleans())
def test_any_uuid_pair_round_trips(app: object, peer: object, upper: bool) -> None:
    app_text, peer_text = str(app), str(peer)
    if upper:
        app_text, peer_text = app_text.upper(), peer_text.upper()
    expected = (PeerRef(str(app), str(peer)),)
    assert parse_refs(f"{app_text}/{peer_text}", default_app=None, aliases={}).refs == expected
    assert parse_refs(f"{app_text} {peer_text}", default_app=None, aliases={}).refs == expected
    url = f"{API}/accounts/{ACCOUNT}/realtime/kit/{app_text}/sessions/peer-report/{peer_text}"
    assert find_refs(f"<{url}|report>", default_app=None, aliases={}) == expected
