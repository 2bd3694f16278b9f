"""The Cloudflare client's own limits: answer size cap and the per-token request budget."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from bot.realtimekit.client import RealtimeKitClient, RequestBudget
from bot.realtimekit.errors import BudgetExhaustedError, ReportTooLargeError
from bot.samples import load_sample_bytes

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
APP = "14a396e7-ca44-4937-bf1f-050a69118543"
PEER = "79d87ca5-7e47-452a-b3c1-b6842ad84bf5"


def client_for(handler: httpx.MockTransport, **kw: object) -> RealtimeKitClient:
    return RealtimeKitClient(
        account_id=ACCOUNT,
        api_token=SecretStr("t"),
        base_url="https://api.example/client/v4",
        http=httpx.AsyncClient(transport=handler),
        **kw,  # type: ignore[arg-type]
    )


def test_an_answer_over_the_cap_is_refused_even_without_a_length() -> None:
    body = load_sample_bytes("healthy")

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(0, len(body), 1000):
            yield body[i : i + 1000]

    def stream(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=chunks())  # streamed: no Content-Length

    client = client_for(httpx.MockTransport(stream), max_response_bytes=len(body) - 1)
    with pytest.raises(ReportTooLargeError, match="too large"):
        asyncio.run(client.get_peer_report(APP, PEER))
    roomy = client_for(httpx.MockTransport(stream), max_response_bytes=len(body))
    assert asyncio.run(roomy.get_peer_report(APP, PEER)).raw == body


def test_the_budget_counts_every_attempt_and_refuses_with_the_wait() -> None:
    now = [0.0]
    budget = RequestBudget(limit=3, window=300, timer=lambda: now[0])
    sent: list[int] = []

    def answer(_: httpx.Request) -> httpx.Response:
        sent.append(1)
        return httpx.Response(200, content=load_sample_bytes("healthy"))

    client = client_for(httpx.MockTransport(answer), budget=budget)
    for _ in range(3):
        asyncio.run(client.get_peer_report(APP, PEER))
    assert budget.remaining == 0
    now[0] = 100.0
    with pytest.raises(BudgetExhaustedError, match="try again in 200 s"):
        asyncio.run(client.get_peer_report(APP, PEER))
    assert len(sent) == 3
    now[0] = 300.0
    assert budget.remaining == 3
