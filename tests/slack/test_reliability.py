"""Faults at both edges, hostile text, secrets, shutdown: the answer is never lost."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.health import assess
from bot.realtimekit.models import Participant
from bot.render.sections import SECTIONS, render_section_view
from bot.render.summary import render_summary
from bot.samples import load_sample_bytes
from tests.slack.conftest import BOT_TOKEN, CF_TOKEN, SECRET, Bot, check_payload, sign
from tests.slack.fakes import ACCOUNT, APP, FakeCloudflare, FakeSlack, mrkdwn_texts
from tests.slack.test_commands import PEERS, responses, with_reports


@pytest.mark.parametrize(
    ("fault", "sentence"),
    [
        ("html", "an HTML page"),
        ("truncated", "truncated or invalid JSON"),
        ("success_false", "reported a failure"),
        ("empty_data", "without a participant"),
        ("drop", "Could not reach the Cloudflare API"),
    ],
)
def test_every_cloudflare_fault_becomes_a_sentence(
    make_bot: Callable[..., Bot], fault: str, sentence: str
) -> None:
    bot = make_bot()
    bodies: dict[str, tuple[int, bytes]] = {
        "html": (200, b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"),
        "truncated": (200, b'{"success": true, "data": {"participant": {"id": "79d8'),
        "success_false": (
            200,
            json.dumps(
                {"success": False, "errors": [{"code": 7003, "message": "No route"}]}
            ).encode(),
        ),
        "empty_data": (200, b'{"success": true, "data": {}}'),
        "drop": (-1, b""),
    }
    status, body = bodies[fault]
    bot.cloudflare.fail_next(status, body, times=5)
    bot.command(f"{APP} {PEERS['healthy']}")
    (note,) = responses(bot, 1)
    text = json.dumps(note)
    assert sentence in text and "Traceback" not in text
    assert note["replace_original"] is True


def test_read_timeout_becomes_a_sentence(make_bot: Callable[..., Bot]) -> None:
    bot = with_reports(make_bot(cloudflare_timeout=0.3))
    bot.cloudflare.delay = 1.0
    bot.command(f"{APP} {PEERS['healthy']}")
    note = bot.slack.wait_for("response_url", 1, timeout=30)[0].params
    assert "did not answer within 0.3 s" in json.dumps(note)


def test_five_second_stall_never_delays_twenty_acks(make_bot: Callable[..., Bot]) -> None:
    import concurrent.futures

    bot = with_reports(make_bot())
    bot.cloudflare.delay = 5.0
    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        started = time.monotonic()
        futures = [
            pool.submit(bot.command, f"{APP} {PEERS['healthy']}", response=f"s{i}")
            for i in range(20)
        ]
        results = [f.result() for f in futures]
        elapsed = time.monotonic() - started
    assert all(r.status_code == 200 and "Fetching" in r.json()["text"] for r in results)
    assert elapsed < 3  # Slack's ack deadline, with every lookup stalled for 5 s


def test_tokens_never_reach_logs(
    make_bot: Callable[..., Bot], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        bot = with_reports(make_bot())
        bot.cloudflare.fail_next(401, {"message": "Unauthorized"})
        bot.command(f"{APP} {PEERS['healthy']}")
        responses(bot, 1)
        bot.slack.fail_next("chat.update", "invalid_auth")
        bot.click("peer_report.refresh", json.dumps({"a": APP, "p": PEERS["healthy"]}))
        bot.slack.wait_for("chat.update")
        time.sleep(0.3)
    for record in caplog.records:
        text = record.getMessage() + str(record.exc_info or "")
        assert CF_TOKEN not in text and BOT_TOKEN not in text and SECRET not in text


hostile_text = st.lists(
    st.sampled_from(
        [*"<>&!@#|*_~`: \n^", "channel", "here", "https://evil.example", "U1", "subteam"]
    ),
    min_size=1,
    max_size=25,
).map("".join) | st.text(max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=hostile_text, label=hostile_text, event=hostile_text, meta=hostile_text)
def test_no_user_string_can_ping_or_link(name: str, label: str, event: str, meta: str) -> None:
    doc = json.loads(load_sample_bytes("device-churn"))["data"]["participant"]
    doc["display_name"] = name
    doc["custom_participant_id"] = meta
    metadata = doc["peer_report"]["metadata"]
    metadata["audio_devices_updates"][0]["added"][0]["label"] = label
    metadata["events"].append(
        {"name": event, "timestamp": "2026-11-24T14:02:00.000Z", "metadata": {event: meta}}
    )
    metadata["browser_metadata"]["browser"] = label
    participant = Participant.model_validate(doc)
    payloads: list[Any] = [render_summary(participant, assess(participant), app_id=APP)]
    payloads += [
        render_section_view(
            participant, s, assessment=assess(participant), app_id=APP, show_ip=False
        )
        for s in SECTIONS
    ]
    for payload in payloads:
        assert check_payload(payload) == []
        for text in [payload.get("text", ""), *mrkdwn_texts(payload)]:
            # The bot itself writes no <…> markup here, so any "<" would have come from data.
            assert "<" not in text and ">" not in text


def test_sigterm_drains_in_flight_lookups_and_exits_0(tmp_path: Path) -> None:
    slack, cloudflare = FakeSlack(), FakeCloudflare(CF_TOKEN)
    try:
        cloudflare.add_report(PEERS["healthy"], load_sample_bytes("healthy"))
        cloudflare.delay = 2.0
        with __import__("socket").socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp_path),
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.url,
            "CLOUDFLARE_API_TOKEN": CF_TOKEN,
            "CLOUDFLARE_ACCOUNT_ID": ACCOUNT,
            "CLOUDFLARE_API_BASE_URL": cloudflare.base_url,
            "REALTIMEKIT_APP_ID": APP,
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        from urllib.parse import urlencode

        body = urlencode(
            {
                "command": "/peer-report",
                "text": f"{APP} {PEERS['healthy']}",
                "team_id": "T0001",
                "user_id": "U0USER",
                "channel_id": "C0CHAN",
                "response_url": slack.response_url("d"),
                "trigger_id": "t",
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
        assert (
            httpx.post(f"{url}/slack/events", content=body, headers=headers, timeout=5).status_code
            == 200
        )
        cloudflare.wait_for("peer-report")
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
        assert code == 0, proc.stderr.read() if proc.stderr else ""
        posted = [c.params for c in slack.calls("response_url")]
        assert any(p.get("response_type") == "in_channel" for p in posted), "the lookup was drained"
    finally:
        slack.close()
        cloudflare.close()
