"""The CLI contract end to end: subprocess and console entry point, fake API on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from bot.cli import main
from bot.samples import DEFAULT_SAMPLE, load_sample_bytes, sample_names

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
APP = "14a396e7-ca44-4937-bf1f-050a69118543"
PEER = "79d87ca5-7e47-452a-b3c1-b6842ad84bf5"
TOKEN = "cf-cli-test-token-0123456789"
STATUSES = {"good", "fair", "poor", "unknown"}


def run_cli(
    *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "CLOUDFLARE_", "REALTIMEKIT_", "PEER_REPORT_"))
    }
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        env=base,
        input=stdin,
        timeout=60,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )


def assert_contract(doc: dict[str, Any]) -> None:
    contract = {"peer_id", "app_id", "session_id", "display_name", "overall", "areas"}
    assert contract | {"headline", "next_step"} <= set(doc)
    assert doc["overall"] in STATUSES
    assert set(doc["areas"]) == {"device", "network", "quality"}
    for area in doc["areas"].values():
        assert set(area) == {"status", "summary", "findings", "metrics"}
        assert area["status"] in STATUSES and isinstance(area["summary"], str)
        assert isinstance(area["metrics"], dict)
        for finding in area["findings"]:
            assert {"severity", "code", "message"} <= set(finding)
            assert set(finding) <= {"severity", "code", "message", "action", "peer_ids"}
            assert finding["severity"] in {"info", "warning", "critical"}
    # Issue 13: poor/fair when any area is; good only when all three areas are known and good;
    # otherwise unknown (never green on missing data; it used to be the worst known area).
    statuses = [a["status"] for a in doc["areas"].values()]
    rank = {"good": 0, "fair": 1, "poor": 2}
    bad = [s for s in statuses if s in ("fair", "poor")]
    if bad:
        expected = max(bad, key=rank.__getitem__)
    else:
        expected = "good" if statuses == ["good"] * 3 else "unknown"
    assert doc["overall"] == expected


def test_demo_json_matches_the_contract() -> None:
    result = run_cli("show", "--demo", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert_contract(json.loads(result.stdout))


@pytest.mark.parametrize("name", sample_names())
def test_every_sample_in_every_format(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("text", "json", "blocks"):
        assert main(["show", "--demo", name, "--format", fmt, "--color", "never"]) == 0
        out = capsys.readouterr().out
        assert out.strip()
        if fmt == "json":
            assert_contract(json.loads(out))
        if fmt == "blocks":
            payload = json.loads(out)
            assert set(payload) >= {"text", "blocks"}
        if fmt == "text":
            assert "\x1b[" not in out


def test_demos_lists_every_sample() -> None:
    result = run_cli("demos")
    assert result.returncode == 0
    listed = result.stdout.decode()
    for name in sample_names():
        assert name in listed
    assert "(default)" in listed


def test_file_accepts_the_envelope_and_the_bare_participant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = load_sample_bytes(DEFAULT_SAMPLE)
    envelope = tmp_path / "envelope.json"
    envelope.write_bytes(raw)
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(json.loads(raw)["data"]["participant"]))
    docs = []
    for path in (envelope, bare):
        assert main(["show", "--file", str(path), "--format", "json", "--app", APP]) == 0
        docs.append(json.loads(capsys.readouterr().out))
    assert docs[0] == docs[1]
    assert docs[0]["app_id"] == APP


def test_file_from_stdin() -> None:
    result = run_cli(
        "show", "--file", "-", "--format", "json", stdin=load_sample_bytes(DEFAULT_SAMPLE)
    )
    assert result.returncode == 0, result.stderr
    assert_contract(json.loads(result.stdout))


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["show", f"{APP}/../{PEER}"], b".."),
        (["show", "%2F" + PEER], b"%2F"),
        (["show", APP, "not-a-peer"], b"not-a-peer"),
        (["show"], b"no peer given"),
        (["show", "--demo", "no-such-sample"], b"no-such-sample"),
        (["show", "--format", "xml", "--demo"], b"invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], phrase: bytes) -> None:
    result = run_cli(*args, env={"CLOUDFLARE_API_TOKEN": TOKEN, "CLOUDFLARE_ACCOUNT_ID": ACCOUNT})
    assert result.returncode == 2, result.stderr
    assert phrase in result.stderr
    assert b"Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    missing = run_cli("show", "--file", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and b"cannot read" in missing.stderr
    garbage = tmp_path / "garbage.json"
    garbage.write_text("<html>")
    bad = run_cli("show", "--file", str(garbage))
    assert bad.returncode == 2 and b"not a JSON object" in bad.stderr


class FakeApi(BaseHTTPRequestHandler):
    status = 200
    body: bytes = b""
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).seen.append(self.path)
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def fake_api() -> Iterator[tuple[type[FakeApi], str]]:
    handler = type("Handler", (FakeApi,), {"seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}/client/v4"
    server.shutdown()


def live_env(base: str) -> dict[str, str]:
    return {
        "CLOUDFLARE_API_TOKEN": TOKEN,
        "CLOUDFLARE_ACCOUNT_ID": ACCOUNT,
        "CLOUDFLARE_API_BASE_URL": base,
        "REALTIMEKIT_APP_ID": APP,
    }


def test_live_fetch_through_a_fake_api(fake_api: tuple[type[FakeApi], str]) -> None:
    handler, base = fake_api
    handler.body = load_sample_bytes(DEFAULT_SAMPLE)
    result = run_cli("show", PEER, "--format", "json", "--events", env=live_env(base))
    assert result.returncode == 0, result.stderr
    assert_contract(json.loads(result.stdout))
    assert handler.seen == [
        f"/client/v4/accounts/{ACCOUNT}/realtime/kit/{APP}/sessions/peer-report/{PEER}?include_peer_events=true"
    ]


@pytest.mark.parametrize(
    ("status", "body", "phrase"),
    [
        (403, {"success": False, "errors": [{"code": 10000, "message": "Forbidden"}]}, b"Realtime"),
        (404, {"success": False, "error": {"code": 404, "message": "No user found"}}, b"No peer"),
        (401, {"message": "Unauthorized"}, b"API token"),
    ],
)
def test_api_failure_exits_3_with_the_sentence(
    fake_api: tuple[type[FakeApi], str], status: int, body: Any, phrase: bytes
) -> None:
    handler, base = fake_api
    handler.status = status
    handler.body = json.dumps(body).encode()
    result = run_cli("show", APP, PEER, env=live_env(base))
    assert result.returncode == 3, result.stderr
    assert phrase in result.stderr
    assert TOKEN.encode() not in result.stderr
    assert b"Traceback" not in result.stderr


def test_connection_refused_exits_3() -> None:
    result = run_cli("show", APP, PEER, env=live_env("http://127.0.0.1:9/client/v4"))
    assert result.returncode == 3
    assert b"Could not reach the Cloudflare API" in result.stderr


def test_missing_token_is_bad_input() -> None:
    result = run_cli("show", APP, PEER)
    assert result.returncode == 2
    assert b"CLOUDFLARE_API_TOKEN" in result.stderr


def test_blocks_are_masked_like_a_channel_post_unless_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["show", "--demo", "healthy", "--format", "blocks"]) == 0
    masked = capsys.readouterr().out
    assert (
        "203.0.113.7" not in masked and "Berlin" not in masked and "IP addresses masked" in masked
    )
    assert main(["show", "--demo", "healthy", "--format", "blocks", "--show-ip"]) == 0
    assert "Berlin" in capsys.readouterr().out
    assert main(["show", "--demo", "healthy", "--format", "text", "--color", "never"]) == 0
    assert "203.0.113.7" in capsys.readouterr().out


def test_saved_report_without_an_app_gets_no_half_working_buttons(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(load_sample_bytes("healthy"))
    assert main(["show", "--file", str(path), "--format", "blocks"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert "actions" not in {b["type"] for b in payload["blocks"]}
    assert main(["show", "--file", str(path), "--format", "blocks", "--app", APP]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert "actions" in {b["type"] for b in payload["blocks"]}
