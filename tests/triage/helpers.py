"""Fake Cloudflare for whole-call triage: session details, paged participants, every report."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import SecretStr

from bot.cache import MemoryReportCache
from bot.realtimekit.client import RealtimeKitClient, RetryPolicy
from bot.samples.sessions.scenarios import Person, SessionScenario, build_session
from bot.service import LiveSource
from tests.slack.fakes import FakeCloudflare

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
#: DESIGN.md "Whole-call triage": the top-level keys of `session --format json`.
SESSION_JSON_KEYS = frozenset(
    {
        "session_id",
        "app_id",
        "meeting_title",
        "status",
        "started_at",
        "ended_at",
        "participants",
        "blame",
        "counts",
        "skipped",
    }
)

APP = "14a396e7-ca44-4937-bf1f-050a69118543"
BASE = "https://api.example.test/client/v4"


def pid(n: int) -> str:
    return f"0000aaaa-0000-4000-8000-{n:012d}"


def scenario(
    name: str,
    people: int = 5,
    *,
    uplink: dict[int, float] | None = None,
    downlink: dict[int, float] | None = None,
    pairs: tuple[tuple[int, int, float], ...] = (),
) -> SessionScenario:
    uplink = uplink or {}
    downlink = downlink or {}
    return SessionScenario(
        name=name,
        session_id=f"5e5510{len(name):02d}-0000-4000-8000-000000000001",
        title=f"Test call {name}",
        people=tuple(
            Person(
                f"P{i}",
                pid(i),
                uplink_loss=uplink.get(i, 0.2),
                downlink_loss=downlink.get(i, 0.0),
            )
            for i in range(1, people + 1)
        ),
        bad_pairs=tuple((pid(a), pid(b), loss) for a, b, loss in pairs),
    )


@dataclass
class FakeApi:
    """An httpx handler answering like Cloudflare; records requests and concurrency."""

    data: dict[str, Any]
    per_page: int | None = None
    failures: dict[str, list[httpx.Response]] = field(default_factory=dict)
    delay: float = 0.0
    requests: list[tuple[float, str]] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def session_id(self) -> str:
        return str(self.data["session"]["data"]["session"]["id"])

    def report_requests(self) -> list[str]:
        return [path for _, path in self.requests if "/peer-report/" in path]

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        import asyncio

        path = request.url.path
        with self.lock:
            self.requests.append((time.monotonic(), path))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            return self._answer(request)
        finally:
            with self.lock:
                self.in_flight -= 1

    def _answer(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        key = path.rstrip("/").rsplit("/", 1)[-1]
        queue = self.failures.get(key)
        if queue:
            return queue.pop(0)
        prefix = f"/client/v4/accounts/{ACCOUNT}/realtime/kit/{APP}/sessions/"
        if not path.startswith(prefix):
            return httpx.Response(404, json={"success": False, "error": {"code": 404}})
        rest = path[len(prefix) :].split("/")
        if rest[0] == "peer-report":
            report = self.data["reports"].get(rest[1])
            if report is None:
                return httpx.Response(404, json={"success": False, "error": {"code": 404}})
            return httpx.Response(200, content=json.dumps(report).encode())
        if rest[0] != self.session_id:
            return httpx.Response(404, json={"success": False, "error": {"code": 404}})
        if len(rest) == 1:
            return httpx.Response(200, json=self.data["session"])
        body = self.data["participants"]
        if self.per_page is None:
            return httpx.Response(200, json=body)
        page = int(request.url.params.get("page_no", "1"))
        items = body["data"]["participants"]
        chunk = items[(page - 1) * self.per_page : page * self.per_page]
        return httpx.Response(
            200,
            json={
                "success": True,
                "data": {"participants": chunk},
                "paging": {"total_count": len(items)},
            },
        )


def fake_api(s: SessionScenario, **kw: Any) -> FakeApi:
    return FakeApi(build_session(s), **kw)


def live(handler: Callable[..., Any], *, attempts: int = 3) -> tuple[RealtimeKitClient, LiveSource]:
    client = RealtimeKitClient(
        account_id=ACCOUNT,
        api_token=SecretStr("tok"),
        base_url=BASE,
        http=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        retry=RetryPolicy(attempts=attempts, budget=10, initial_backoff=0.01, max_backoff=0.02),
    )
    return client, LiveSource(client, MemoryReportCache(ttl=60))


class SessionCloudflare(FakeCloudflare):
    """The loopback fake Cloudflare, also answering the session endpoints."""

    def __init__(self, token: str, data: dict[str, Any]) -> None:
        super().__init__(token)
        self.data = data
        for peer, envelope in data["reports"].items():
            self.add_report(peer, json.dumps(envelope).encode())

    def _answer(self, path: str, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        session = self.data["session"]["data"]["session"]["id"]
        if path.endswith(f"/sessions/{session}") and not self._failures:
            return 200, json.dumps(self.data["session"]).encode(), {}
        if path.endswith(f"/sessions/{session}/participants") and not self._failures:
            return 200, json.dumps(self.data["participants"]).encode(), {}
        return super()._answer(path, headers)


def paths(fake: FakeCloudflare) -> list[str]:
    return [str(c.params["path"]) for c in fake.calls()]
