"""Whole-call triage through the real client, cache and fan-out against a fake Cloudflare."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from bot.triage.session import triage_session
from tests.triage.helpers import APP, SESSION_JSON_KEYS, FakeApi, fake_api, live, pid, scenario


def run(api: FakeApi, **kw: Any) -> Any:
    client, source = live(api)

    async def go() -> Any:
        async def fetch(app: str, peer: str) -> Any:
            return await source.fetch(app, peer, include_peer_events=True)

        try:
            return await triage_session(
                client, fetch, APP, api.session_id, gate=client.rate_gate, **kw
            )
        finally:
            await source.aclose()

    return asyncio.run(go())


def directions(triage: Any) -> list[tuple[str, str, int, int]]:
    return [(b.direction, b.peer_id, b.affected, b.of) for b in triage.blame]


def test_lossy_sender_is_blamed_for_its_uplink() -> None:
    triage = run(fake_api(scenario("sender", 5, uplink={2: 8.0})))
    assert directions(triage) == [("uplink", pid(2), 4, 4)]
    assert triage.participants[0].peer_id == pid(2)
    assert triage.participants[0].overall == "poor"


def test_lossy_receiver_is_blamed_for_its_downlink() -> None:
    triage = run(fake_api(scenario("receiver", 5, downlink={4: 10.0})))
    assert directions(triage) == [("downlink", pid(4), 4, 4)]


def test_single_bad_pair_is_a_path() -> None:
    triage = run(fake_api(scenario("pair", 5, pairs=((1, 3, 7.0),))))
    assert directions(triage) == [("path", pid(3), 1, 1)]


def test_all_healthy_call() -> None:
    triage = run(fake_api(scenario("healthy", 4)))
    assert triage.blame == ()
    doc = triage.as_json()
    assert doc["counts"] == {"poor": 0, "fair": 0, "good": 4, "unknown": 0}
    assert doc["skipped"] == []
    assert set(doc) == SESSION_JSON_KEYS
    assert set(doc["participants"][0]) == {
        "peer_id",
        "display_name",
        "overall",
        "headline",
        "areas",
    }
    assert doc["status"] == "ENDED"
    assert doc["meeting_title"] == "Test call healthy"


def test_paging_is_followed_and_every_participant_fetched_once() -> None:
    api = fake_api(scenario("paged", 7), per_page=3)
    triage = run(api)
    pages = [p for _, p in api.requests if p.endswith("/participants")]
    assert len(pages) == 3
    assert sorted(p.peer_id for p in triage.participants) == [pid(i) for i in range(1, 8)]
    # one request per participant
    assert len(api.report_requests()) == 7


def test_a_500_for_one_peer_lands_in_skipped_and_the_rest_report() -> None:
    api = fake_api(scenario("fails", 5))
    api.failures[pid(3)] = [httpx.Response(500, json={})] * 5
    triage = run(api)
    assert [s.peer_id for s in triage.skipped] == [pid(3)]
    assert "internal error (500)" in triage.skipped[0].reason
    assert pid(3) not in {p.peer_id for p in triage.participants}
    assert len(triage.participants) == 4


def test_429_on_several_reports_costs_one_shared_pause() -> None:
    api = fake_api(scenario("limited", 8), delay=0.01)
    limited = httpx.Response(429, json={"success": False}, headers={"Retry-After": "0.4"})
    for i in (2, 3, 4):
        api.failures[pid(i)] = [limited]
    client, source = live(api)

    async def go() -> Any:
        async def fetch(app: str, peer: str) -> Any:
            return await source.fetch(app, peer)

        try:
            return await triage_session(
                client, fetch, APP, api.session_id, gate=client.rate_gate, concurrency=8
            )
        finally:
            await source.aclose()

    triage = asyncio.run(go())
    assert len(triage.participants) == 8
    assert client.rate_gate.pauses == 1
    first_429 = min(t for t, p in api.requests if p.rsplit("/", 1)[-1] in {pid(2)})
    # Every request that started after a 429 arrived waited until Retry-After had passed.
    later = [t for t, _ in api.requests if t > first_429 + 0.05]
    assert len(later) == 3  # the three limited reports, retried once each
    assert all(t >= first_429 + 0.39 for t in later)


def test_concurrency_never_exceeds_the_limit() -> None:
    api = fake_api(scenario("wide", 12), delay=0.02)
    triage = run(api, concurrency=3)
    assert len(triage.participants) == 12
    assert api.max_in_flight == 3


def test_large_call_fetches_senders_first_and_states_a_sample() -> None:
    s = scenario("large", 12)
    api = fake_api(s)
    items = api.data["participants"]["data"]["participants"]
    items[10]["preset_name"] = "webinar_host"
    triage = run(api, max_peers=5)
    fetched = {p.rsplit("/", 1)[-1] for p in api.report_requests()}
    assert len(fetched) == 5
    assert pid(11) in fetched  # the host first
    assert triage.not_fetched == 7
    assert "large call (12 participants, --max-peers 5)" in triage.not_fetched_reason
    assert "1 hosts/presenters and a sample of 4 of the other 11" in triage.not_fetched_reason
    assert len([s for s in triage.skipped if s.reason.startswith("not fetched")]) == 7


def test_progress_is_reported_for_every_report() -> None:
    seen: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        seen.append((done, total))

    run(fake_api(scenario("progress", 4)), progress=progress)
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_a_long_rate_limit_skips_the_rest_instead_of_waiting() -> None:
    api = fake_api(scenario("blocked", 6))
    blocked = httpx.Response(429, json={"success": False}, headers={"Retry-After": "300"})
    for i in range(1, 7):
        api.failures[pid(i)] = [blocked]
    triage = run(api, concurrency=1)
    assert triage.participants == ()
    assert len(triage.skipped) == 6
    assert "rate limit" in triage.skipped[0].reason
    assert all("asks to wait 300 s" in s.reason for s in triage.skipped[1:])
    assert len(api.report_requests()) == 1  # nothing else was sent into the block
