"""``peer-report session`` end to end: subprocess, bundled demo and a fake API on loopback."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from tests.slack.conftest import check_payload
from tests.test_cli import run_cli
from tests.triage.helpers import SESSION_JSON_KEYS, SessionCloudflare, pid, scenario

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
APP = "14a396e7-ca44-4937-bf1f-050a69118543"
TOKEN = "cf-cli-session-token-0123456789"


def test_demo_json_follows_the_contract() -> None:
    result = run_cli("session", "--demo", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == SESSION_JSON_KEYS
    assert doc["status"] in ("LIVE", "ENDED")
    assert len(doc["participants"]) >= 6
    order = {"poor": 0, "fair": 1, "unknown": 2, "good": 3}
    ranks = [order[p["overall"]] for p in doc["participants"]]
    assert ranks == sorted(ranks)
    for p in doc["participants"]:
        assert set(p) == {"peer_id", "display_name", "overall", "headline", "areas"}
        assert set(p["areas"]) == {"device", "network", "quality"}
    directions = {(b["display_name"], b["direction"]) for b in doc["blame"]}
    assert {("Carol", "uplink"), ("Dave", "downlink"), ("Grace", "path")} <= directions
    for b in doc["blame"]:
        assert set(b) == {"peer_id", "display_name", "direction", "evidence", "affected", "of"}
        assert isinstance(b["affected"], int) and isinstance(b["of"], int)
        assert 1 <= b["affected"] <= b["of"]
    assert sum(doc["counts"].values()) == len(doc["participants"])


def test_demo_text_and_blocks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["session", "--demo", "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert "Carol's upload" in text and "Dave's download" in text
    assert "Next: Ask Carol to fix their upload" in text
    assert main(["session", "--demo", "war-room", "--format", "blocks"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert check_payload(payload) == []
    assert len(payload["text"]) <= 150


def test_demos_lists_the_session_demo() -> None:
    result = run_cli("demos")
    assert result.returncode == 0
    assert "war-room" in result.stdout.decode()
    assert "session --demo" in result.stdout.decode()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["session"], "no session given"),
        (["session", "not-a-uuid"], "not a session ID"),
        (["session", APP, "x", "y"], "too many words"),
        (["session", "--demo", "nope"], "no demo session named"),
        (["session", "--concurrency", "0", "--demo"], "must be at least 1"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], fragment: str) -> None:
    env = {"CLOUDFLARE_API_TOKEN": TOKEN, "CLOUDFLARE_ACCOUNT_ID": ACCOUNT}
    result = run_cli(*args, env=env)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert fragment in err and "Traceback" not in err


def test_live_session_through_the_real_client_on_loopback() -> None:
    from bot.samples.sessions.scenarios import build_session

    fake = SessionCloudflare(TOKEN, build_session(scenario("cli", 4, uplink={2: 9.0})))
    try:
        session = fake.data["session"]["data"]["session"]["id"]
        env = {
            "CLOUDFLARE_API_TOKEN": TOKEN,
            "CLOUDFLARE_ACCOUNT_ID": ACCOUNT,
            "CLOUDFLARE_API_BASE_URL": fake.base_url,
        }
        result = run_cli("session", APP, session, "--format", "json", env=env)
        assert result.returncode == 0, result.stderr
        doc = json.loads(result.stdout)
        assert [(b["peer_id"], b["direction"]) for b in doc["blame"]] == [(pid(2), "uplink")]
        paths = [c.params["path"] for c in fake.calls()]
        assert sum("/peer-report/" in p for p in paths) == 4
        bad = run_cli("session", APP, "12345", env=env)
        assert bad.returncode == 2
        assert len(fake.calls()) == len(paths)  # bad input: no request
        missing = run_cli(
            "session", APP, "00000000-0000-4000-8000-000000000000", "--format", "json", env=env
        )
        assert missing.returncode == 3
        assert "No session" in missing.stderr.decode()
    finally:
        fake.close()
