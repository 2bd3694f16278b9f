"""Session references: the three word orders, API URLs, and strict refusal of anything else."""

from __future__ import annotations

import pytest

from bot.ids import IdError, SessionRef, mentions_session, parse_session_ref, session_from_url

APP = "14a396e7-ca44-4937-bf1f-050a69118543"
OTHER_APP = "2a95132c15732412d22c1476fa83f27a"
SESSION = "813432c7-3c5a-45e2-9acf-eef7061c7584"
PEER = "79d87ca5-7e47-452a-b3c1-b6842ad84bf5"
ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
API = "https://api.cloudflare.com/client/v4/accounts"


def parse(text: str, **kw: object) -> SessionRef:
    options: dict[str, object] = {"default_app": APP, "aliases": {"prod": OTHER_APP}}
    options.update(kw)
    return parse_session_ref(text, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "app"),
    [
        (f"session {SESSION}", APP),
        (f"session {OTHER_APP} {SESSION}", OTHER_APP),
        (f"{OTHER_APP} session {SESSION}", OTHER_APP),
        (f"prod session {SESSION}", OTHER_APP),
        (f"SESSION prod {SESSION.upper()}", OTHER_APP),
        (f"session {API}/{ACCOUNT}/realtime/kit/{OTHER_APP}/sessions/{SESSION}", OTHER_APP),
        (f"<{API}/{ACCOUNT}/realtime/kit/{OTHER_APP}/sessions/{SESSION}/participants>", OTHER_APP),
    ],
)
def test_accepted_forms(text: str, app: str) -> None:
    assert parse(text) == SessionRef(app, SESSION)


def test_the_cli_needs_no_word() -> None:
    assert parse(f"{OTHER_APP} {SESSION}", require_word=False) == SessionRef(OTHER_APP, SESSION)
    assert parse(SESSION, require_word=False) == SessionRef(APP, SESSION)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (f"{APP} {SESSION}", "no `session` word"),
        ("session", "no session ID"),
        ("session not-a-uuid", "not a session ID"),
        (f"session {SESSION} extra", "`extra` is not a session ID"),
        (f"session {APP} {SESSION} {PEER}", "too many words"),
        (f"session session {SESSION}", "appears twice"),
        (f"{APP} {PEER} session {SESSION}", "expected session SESSION"),
        (f"session {SESSION}%2F..", "not a session ID"),
        (f"session {API}/{ACCOUNT}/realtime/kit/{APP}/sessions/peer-report/{PEER}", "peer link"),
        (f"session {API}/{ACCOUNT}/realtime/kit/{APP}/sessions/{SESSION}/../x", "`..`"),
    ],
)
def test_refused_with_a_specific_message(text: str, fragment: str) -> None:
    with pytest.raises(IdError) as caught:
        parse(text)
    assert fragment in str(caught.value)


def test_no_default_app_says_how_to_give_one() -> None:
    with pytest.raises(IdError, match="no app was given"):
        parse(f"session {SESSION}", default_app=None)


def test_session_urls_and_peer_urls_are_told_apart() -> None:
    base = f"{API}/{ACCOUNT}/realtime/kit/{APP}/sessions"
    assert session_from_url(f"{base}/{SESSION}") == (APP, SESSION)
    assert session_from_url(f"{base}/peer-report/{PEER}") is None
    assert session_from_url(f"{base}/{SESSION}/participants/{PEER}") is None
    assert mentions_session(f"session {SESSION}")
    assert mentions_session(f"<{base}/{SESSION}>")
    assert not mentions_session(f"{APP} {PEER}")
    assert not mentions_session(f"{base}/peer-report/{PEER}")
