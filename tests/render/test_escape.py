from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.render.escape import code, escape_mrkdwn, inline, one_line, plain


def test_escape_exactly_three_entities() -> None:
    assert escape_mrkdwn("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape_mrkdwn("&amp;") == "&amp;amp;"  # already-escaped data shows as typed
    assert escape_mrkdwn("*_~`'\"|") == "*_~`'\"|"  # nothing else is entity-encoded


def test_mentions_and_links_cannot_survive() -> None:
    for hostile in ("<!channel>", "<!here|x>", "<@U123>", "<#C1>", "<https://evil.example|click>"):
        assert "<" not in escape_mrkdwn(hostile)
        assert ">" not in escape_mrkdwn(hostile)


def test_inline_neutralises_our_markup_and_stays_on_one_line() -> None:
    text = inline("*bold* `code` ~strike~ a_b\nsecond line\x1b[31m")
    assert "*" not in text and "`" not in text and "~" not in text
    assert "\n" not in text and "\x1b" not in text
    assert "a_b" in text  # underscores are left for names like john_doe
    assert f"*{inline('x* <!channel> *y')}*".count("*") == 2


def test_code_only_changes_backticks() -> None:
    assert code("cust_1042*x") == "cust_1042*x"
    assert "`" not in code("a`b")
    assert code("<@U1>") == "&lt;@U1&gt;"


def test_plain_truncates_with_ellipsis_on_one_line() -> None:
    assert plain("short", 10) == "short"
    clipped = plain("x" * 500, 150)
    assert len(clipped) == 150 and clipped.endswith("…")
    assert plain("a\nb", 10) == "a b"
    assert one_line("\ta\r\nb ") == "a  b"


@given(st.text())
def test_escaped_text_has_no_raw_angle_brackets(text: str) -> None:
    for out in (escape_mrkdwn(text), inline(text), code(text)):
        assert "<" not in out and ">" not in out
    assert "\n" not in inline(text) and "`" not in code(text)
