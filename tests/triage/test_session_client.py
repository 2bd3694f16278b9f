"""``get_session`` and ``iter_session_participants`` against an httpx MockTransport."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.ids import IdError
from bot.realtimekit import errors
from bot.realtimekit.client import RealtimeKitClient, RetryPolicy

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
APP = "14a396e7-ca44-4937-bf1f-050a69118543"
SESSION = "813432c7-3c5a-45e2-9acf-eef7061c7584"
BASE = "https://api.example.test/client/v4"
PREFIX = f"/client/v4/accounts/{ACCOUNT}/realtime/kit/{APP}/sessions/{SESSION}"


def peer(i: int) -> str:
    return f"00000000-0000-4000-8000-{i:012d}"


def client_for(handler: Any) -> RealtimeKitClient:
    return RealtimeKitClient(
        account_id=ACCOUNT,
        api_token=SecretStr("tok"),
        base_url=BASE,
        http=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        retry=RetryPolicy(attempts=3, budget=5, initial_backoff=0.01, max_backoff=0.02),
    )


def reply(status: int, body: Any, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers=headers)


def collect(client: RealtimeKitClient, **kw: Any) -> list[str]:
    async def run() -> list[str]:
        return [p.id or "" async for p in client.iter_session_participants(APP, SESSION, **kw)]

    return asyncio.run(run())


def test_details_are_read_from_data_session() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return reply(
            200,
            {
                "success": True,
                "data": {
                    "session": {
                        "id": SESSION,
                        "meeting_display_name": "Weekly sync",
                        "status": "ENDED",
                        "started_at": "2026-11-24T14:00:00Z",
                        "new_field": {"kept": True},
                    }
                },
            },
        )

    details = asyncio.run(client_for(handler).get_session(APP, SESSION.upper()))
    assert seen[0].url.path == PREFIX
    assert seen[0].headers["authorization"] == "Bearer tok"
    assert details.meeting_display_name == "Weekly sync"
    assert details.status == "ENDED"
    assert (details.model_extra or {})["new_field"] == {"kept": True}


@pytest.mark.parametrize("paging_inside", [True, False])
def test_paging_is_followed_until_total_count(paging_inside: bool) -> None:
    everyone = [{"id": peer(i), "display_name": f"P{i}"} for i in range(7)]
    pages: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == PREFIX + "/participants"
        page = int(request.url.params["page_no"])
        per = int(request.url.params["per_page"])
        pages.append(request.url.params["page_no"])
        items = everyone[(page - 1) * per : page * per]
        paging = {"total_count": len(everyone), "start_offset": (page - 1) * per}
        if paging_inside:
            return reply(200, {"success": True, "data": {"participants": items, "paging": paging}})
        return reply(200, {"success": True, "data": {"participants": items}, "paging": paging})

    assert collect(client_for(handler), per_page=3) == [peer(i) for i in range(7)]
    assert pages == ["1", "2", "3"]


def test_paging_stops_on_a_short_page_without_total_and_on_a_repeated_page() -> None:
    def short(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page_no"])
        items = [{"id": peer(i)} for i in range(3)] if page == 1 else [{"id": peer(9)}]
        return reply(200, {"success": True, "data": {"participants": items}})

    assert collect(client_for(short), per_page=3) == [peer(0), peer(1), peer(2), peer(9)]

    calls: list[int] = []

    def ignores_page_no(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        items = [{"id": peer(i)} for i in range(3)]
        return reply(200, {"success": True, "data": items, "paging": {"total_count": 50}})

    assert collect(client_for(ignores_page_no), per_page=3) == [peer(0), peer(1), peer(2)]
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("status", "body", "kind", "words"),
    [
        (
            404,
            {"success": False, "error": {"code": 404, "message": "No session"}},
            "NotFoundError",
            "No session " + SESSION,
        ),
        (
            401,
            {"success": False, "errors": [{"code": 10000, "message": "Auth"}]},
            "AuthenticationError",
            "API token",
        ),
        (
            403,
            {"success": False, "errors": [{"code": 10000, "message": "Forbidden"}]},
            "PermissionDeniedError",
            "Realtime",
        ),
        (
            400,
            {"success": False, "error": {"code": 400, "message": "bad"}},
            "ApiBadRequestError",
            "session " + SESSION,
        ),
    ],
)
def test_errors_are_mapped(status: int, body: Any, kind: str, words: str) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return reply(status, body)

    with pytest.raises(errors.UpstreamError) as caught:
        asyncio.run(client_for(handler).get_session(APP, SESSION))
    assert type(caught.value).__name__ == kind
    assert words in str(caught.value)
    assert len(calls) == 1  # 4xx is never retried


def test_server_errors_are_retried_then_succeed() -> None:
    answers = [reply(503, {}), reply(200, {"success": True, "data": {"participants": []}})]

    def handler(request: httpx.Request) -> httpx.Response:
        return answers.pop(0)

    assert collect(client_for(handler)) == []
    assert answers == []


def test_html_and_success_false_are_clear_errors() -> None:
    def html(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<html>oops</html>")

    with pytest.raises(errors.BadResponseError, match="session data"):
        asyncio.run(client_for(html).get_session(APP, SESSION))

    def failed(request: httpx.Request) -> httpx.Response:
        return reply(200, {"success": False, "errors": [{"code": 7003, "message": "nope"}]})

    with pytest.raises(errors.ApiFailureError, match="nope"):
        asyncio.run(client_for(failed).get_session(APP, SESSION))


@pytest.mark.parametrize(
    ("app", "session"),
    [(APP, "not-a-uuid"), ("../x", SESSION), (APP, SESSION + "/../peer-report"), (APP, "")],
)
def test_bad_ids_make_no_request(app: str, session: str) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return reply(200, {})

    client = client_for(handler)
    with pytest.raises(IdError):
        asyncio.run(client.get_session(app, session))
    with pytest.raises(IdError):
        collect_bad = client.iter_session_participants(app, session)

        async def first() -> None:
            async for _ in collect_bad:
                break

        asyncio.run(first())
    assert calls == []
