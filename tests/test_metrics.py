"""Prometheus metrics end to end: lookups through the real bot, then a scrape of /metrics.

The registry is process-wide, so the HTTP test compares a scrape before and after its lookups;
the Socket Mode test runs the bot as its own process and reads absolute counts.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot import metrics
from bot.realtimekit.errors import NotFoundError
from bot.realtimekit.models import parse_participant
from bot.samples import load_sample_bytes
from tests.conftest import free_port
from tests.slack.conftest import BOT_TOKEN, Bot, fake_cloudflare, fake_slack, wait_until  # noqa: F401 - fixtures make_bot uses
from tests.slack.conftest import make_bot as _make_bot  # noqa: F401 - fixture, see running_bot
from tests.slack.fakes import ACCOUNT, APP, FakeSlack
from tests.slack.test_commands import PEERS, responses, with_reports
from tests.slack.test_socket_mode import APP_TOKEN, FakeSocketMode

UNKNOWN_PEER = "0b5e7c1d-2f3a-4b5c-8d6e-7f8091a2b3c4"
Series = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(url: str) -> tuple[Series, str]:
    response = httpx.get(url, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    series: Series = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            series[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return series, response.text


def value(series: Series, name: str, **labels: str) -> float:
    return series.get((name, tuple(sorted(labels.items()))), 0.0)


def label_values(series: Series) -> Iterator[str]:
    for _, labels in series:
        for _, label_value in labels:
            yield label_value


def identifying_strings() -> set[str]:
    """Every peer ID, name and IP the reports and requests of these tests carry."""
    found = {APP, ACCOUNT, UNKNOWN_PEER, "T0001", "U0USER", "C0CHAN", *PEERS.values()}
    for name in PEERS:
        raw = load_sample_bytes(name)
        participant = parse_participant(raw)
        found |= {s for s in (participant.display_name, participant.id) if s}
        found |= set(re.findall(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", raw.decode()))
    assert len(found) > 12  # names and IPs were found, so the check below means something
    return found


def is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def assert_no_identifying_labels(series: Series) -> None:
    secrets = identifying_strings()
    for label_value in label_values(series):
        assert not is_ip(label_value), label_value
        assert not any(s in label_value for s in secrets), label_value


@pytest.fixture
def running_bot(request: pytest.FixtureRequest) -> Bot:
    """The real bot in HTTP mode against the loopback fakes (tests/slack/conftest.py)."""
    start: Callable[..., Bot] = request.getfixturevalue("_make_bot")
    return with_reports(start())


def test_scrape_after_lookups_counts_them_without_ids(running_bot: Bot) -> None:
    bot = running_bot
    before, _ = scrape(f"{bot.url}/metrics")

    bot.command(f"{APP} {PEERS['healthy']}")
    responses(bot, 2)  # "Fetching…" then the card
    bot.slack.clear()
    bot.command(f"{APP} {PEERS['healthy']}", channel="C0OTHER")  # from the cache this time
    bot.command(f"{APP} {UNKNOWN_PEER}")
    bot.slack.fail_next("chat.unfurl", "cannot_unfurl_url")
    url = (
        f"https://api.cloudflare.com/client/v4/accounts/{ACCOUNT}"
        f"/realtime/kit/{APP}/sessions/peer-report/{PEERS['hostile']}"
    )
    bot.event(
        {
            "type": "link_shared",
            "channel": "C0CHAN",
            "user": "U0USER",
            "message_ts": "1700000000.1",
            "links": [{"domain": "api.cloudflare.com", "url": url}],
        }
    )
    bot.slack.wait_for("chat.unfurl")

    def finished() -> bool:
        series, _ = scrape(f"{bot.url}/metrics")
        done = sum(v for (name, _), v in series.items() if name == "peer_report_lookups_total")
        return done - sum(
            v for (name, _), v in before.items() if name == "peer_report_lookups_total"
        ) >= 4 and not value(series, "peer_report_lookups_in_flight")

    wait_until(finished)
    after, text = scrape(f"{bot.url}/metrics")

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    lookups = "peer_report_lookups_total"
    assert delta(lookups, surface="command", outcome="ok") == 2
    assert delta(lookups, surface="command", outcome="not_found") == 1
    assert delta(lookups, surface="unfurl", outcome="ok") == 1
    assert value(after, "peer_report_lookups_in_flight") == 0
    cache = "peer_report_cache_requests_total"
    assert delta(cache, result="miss") == 3  # healthy, unknown, hostile
    assert delta(cache, result="hit") == 1  # healthy again
    responses_total = "peer_report_cloudflare_responses_total"
    assert delta(responses_total, status="200") == 2
    assert delta(responses_total, status="404") == 1
    assert delta("peer_report_cloudflare_request_seconds_count") == 3
    assert (
        delta("peer_report_slack_api_errors_total", method="chat.unfurl", error="cannot_unfurl_url")
        == 1
    )
    assert delta("peer_report_ack_seconds_count", mode="http") == 4
    # The client reports its budget after each request: 3 Cloudflare requests so far.
    budget = bot.services.settings.cloudflare_budget
    assert value(after, "peer_report_request_budget_left") == budget - 3
    assert "# HELP peer_report_lookups_total" in text
    assert_no_identifying_labels(after)


def test_a_single_flight_join_is_counted(running_bot: Bot) -> None:
    bot = running_bot
    bot.cloudflare.delay = 2.0  # the other two lookups arrive while the first is fetching
    before, _ = scrape(f"{bot.url}/metrics")
    # Three different requests (identical bodies in the same second would be replays, which
    # the replay memory answers without work).
    threads = [
        threading.Thread(
            target=bot.command, args=(f"{APP} {PEERS['hostile']}",), kwargs={"response": f"r{i}"}
        )
        for i in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    responses(bot, 6)
    after, _ = scrape(f"{bot.url}/metrics")

    def delta(result: str) -> float:
        name = "peer_report_cache_requests_total"
        return value(after, name, result=result) - value(before, name, result=result)

    assert (delta("miss"), delta("join"), delta("hit")) == (1, 2, 0)
    assert len(bot.cloudflare.calls()) == 1


def test_outcome_and_surface_words() -> None:
    assert metrics.outcome_of(None) == "ok"
    assert metrics.outcome_of(NotFoundError("no such peer")) == "not_found"
    assert metrics.outcome_of(RuntimeError("boom")) == "unexpected"
    assert metrics.surface_of({"command": "/peer-report"}) == "command"
    assert metrics.surface_of({"type": "block_actions"}) == "button"
    assert metrics.surface_of({"type": "view_submission"}) == "modal"
    assert metrics.surface_of({"type": "message_action"}) == "shortcut"
    link = {"type": "event_callback", "event": {"type": "link_shared"}}
    assert metrics.surface_of(link) == "unfurl"
    assert metrics.surface_of({"type": "something_new"}) == "other"


def test_socket_mode_serves_metrics_on_the_side_port_and_logs_json(tmp_path: Path) -> None:
    slack = FakeSlack()
    envelope = {
        "envelope_id": "env-m",
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "command": "/peer-report",
            "text": f"{APP} 79d87ca5-7e47-452a-b3c1-b6842ad84bf5",
            "team_id": "T0001",
            "user_id": "U0USER",
            "channel_id": "C0CHAN",
            "api_app_id": "A0001",
            "response_url": slack.response_url("socket"),
            "trigger_id": "trig-m",
        },
    }
    socket = FakeSocketMode(envelope)
    slack.socket_url = socket.url  # type: ignore[attr-defined]
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": slack.url,
        "PEER_REPORT_METRICS_PORT": str(port),
        "PEER_REPORT_LOG_FORMAT": "json",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--demo", "--host", "127.0.0.1"],
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert socket.acks.get(timeout=30)["envelope_id"] == "env-m"
        cards = slack.wait_for("response_url", 2, timeout=30)
        assert any(c.params.get("response_type") == "in_channel" for c in cards)
        series: Series = {}
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            series, _ = scrape(f"http://127.0.0.1:{port}/metrics")
            if value(series, "peer_report_lookups_total", surface="command", outcome="ok"):
                break
            time.sleep(0.1)
        assert value(series, "peer_report_lookups_total", surface="command", outcome="ok") == 1
        assert value(series, "peer_report_ack_seconds_count", mode="socket") == 1
        assert_no_identifying_labels(series)
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
        slack.close()
        err = proc.stderr.read().decode() if proc.stderr else ""
    assert code == 0, err
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert lines, "the bot logged nothing"
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert any("Socket Mode" in line["message"] for line in lines)


def test_a_busy_metrics_port_is_one_clear_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp_path),
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "PEER_REPORT_METRICS_PORT": str(port),
        }
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli", "serve", "--demo", "--host", "127.0.0.1"],
            env=env,
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 2
    last = result.stderr.decode().strip().splitlines()[-1]
    assert last == (
        f"peer-report: PEER_REPORT_METRICS_PORT={port} cannot be used on 127.0.0.1: "
        "Address already in use"
    )
    assert "Traceback" not in result.stderr.decode()
