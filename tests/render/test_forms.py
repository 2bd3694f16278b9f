from __future__ import annotations

from bot.ids import PeerRef
from bot.render.environment import render_template, templates_dir
from bot.render.forms import render_error, render_fetching, render_peer_list
from tests.render.helpers import APP, DANGEROUS, PEER, check, mrkdwn_texts


def _refs(n: int) -> list[PeerRef]:
    return [PeerRef(APP, f"{i:08x}-7e47-452a-b3c1-b6842ad84bf5") for i in range(n)]


def test_templates_are_found_and_rendered_as_json() -> None:
    assert (templates_dir() / "summary.json.j2").is_file()
    out = render_template("notice.json.j2", text='a "quoted" } text', body="b", hint=None)
    assert out["text"] == 'a "quoted" } text'


def test_error_is_escaped() -> None:
    payload = render_error("Peer <!channel> not found & more")
    assert check(payload) == []
    assert not any(DANGEROUS.search(t) for t in mrkdwn_texts(payload))
    assert "&lt;!channel&gt;" in payload["blocks"][0]["text"]["text"]


def test_fetching_is_ephemeral() -> None:
    one = render_fetching([PeerRef(APP, PEER)])
    assert one["response_type"] == "ephemeral"
    assert f"Fetching peer report for `{PEER}`" in one["text"]
    assert check(one) == []
    assert "3 peer reports" in render_fetching(_refs(3))["text"]


def test_peer_list_names_every_peer_beyond_the_cap() -> None:
    refs = _refs(8)
    payload = render_peer_list(refs, shown=5)
    assert payload["text"].startswith("…and 3 more peers")
    body = payload["blocks"][0]["text"]["text"]
    assert all(r.peer_id in body for r in refs[5:])
    assert not any(r.peer_id in body for r in refs[:5])
    assert check(payload) == []
