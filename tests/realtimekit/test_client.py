"""The Cloudflare client against an httpx MockTransport: success, every failure, retries."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.ids import IdError
from bot.realtimekit import errors
from bot.realtimekit.client import RealtimeKitClient, RetryPolicy

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
APP = "14a396e7-ca44-4937-bf1f-050a69118543"
PEER = "79d87ca5-7e47-452a-b3c1-b6842ad84bf5"
TOKEN = "cf-test-token-SECRET-1234567890"
BASE = "https://api.example.test/client/v4"
PATH = f"/client/v4/accounts/{ACCOUNT}/realtime/kit/{APP}/sessions/peer-report/{PEER}"

PARTICIPANT = {
    "id": PEER,
    "display_name": "Ada",
    "session_id": "813432c7-3c5a-45e2-9acf-eef7061c7584",
    "peer_report": {"metadata": {"device_info": {"os": "macOS", "cpus": 8}}},
}
OK_BODY = {"success": True, "data": {"participant": PARTICIPANT}}

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        item = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(item, Exception):
            raise item
        return item


def make_client(handler: Handler, *, attempts: int = 3, budget: float = 5.0) -> RealtimeKitClient:
    return RealtimeKitClient(
        account_id=ACCOUNT,
        api_token=SecretStr(TOKEN),
        base_url=BASE,
        http=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        retry=RetryPolicy(attempts=attempts, budget=budget, initial_backoff=0.01, max_backoff=0.02),
    )


def json_response(status: int, body: Any, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers=headers)


async def test_success_builds_the_documented_request() -> None:
    rec = Recorder(json_response(200, OK_BODY))
    report = await make_client(rec).get_peer_report(APP.upper(), PEER.upper())
    assert report.participant.display_name == "Ada"
    assert report.peer_id == PEER and report.app_id == APP
    assert json.loads(report.raw) == OK_BODY
    (request,) = rec.requests
    assert request.method == "GET"
    assert request.url.path == PATH
    assert request.url.params == httpx.QueryParams()
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


async def test_query_parameters_exactly_as_the_api_expects() -> None:
    rec = Recorder(json_response(200, OK_BODY))
    await make_client(rec).get_peer_report(
        APP, PEER, filters=["device_info", "ip_information"], include_peer_events=True
    )
    params = rec.requests[0].url.params
    assert params["filters"] == "device_info,ip_information"
    assert params["include_peer_events"] == "true"


async def test_unknown_filter_is_rejected_before_any_request() -> None:
    rec = Recorder(json_response(200, OK_BODY))
    with pytest.raises(errors.ConfigurationError, match="Unknown filter 'bogus'"):
        await make_client(rec).get_peer_report(APP, PEER, filters=["bogus"])
    assert rec.requests == []


@pytest.mark.parametrize("peer", ["../x", "%2F", "abc?x=1", "a#b", "", "7" * 40])
async def test_bad_ids_never_reach_the_network(peer: str) -> None:
    rec = Recorder(json_response(200, OK_BODY))
    with pytest.raises(IdError):
        await make_client(rec).get_peer_report(APP, peer)
    assert rec.requests == []


CASES: list[tuple[int, Any, type[errors.UpstreamError], str]] = [
    (
        400,
        {
            "success": False,
            "error": {"code": 400, "message": 'BAD_REQUEST "id" must be a valid GUID'},
        },
        errors.ApiBadRequestError,
        "must be a valid GUID",
    ),
    (
        401,
        {"success": False, "errors": [{"code": 10000, "message": "Authentication error"}]},
        errors.AuthenticationError,
        "did not accept the API token",
    ),
    (
        403,
        {"success": False, "errors": [{"code": 10000, "message": "Forbidden"}]},
        errors.PermissionDeniedError,
        '"Realtime" or "Realtime Admin" permission',
    ),
    (
        404,
        {"success": False, "error": {"code": 404, "message": f"No user found with id {PEER}"}},
        errors.NotFoundError,
        f"No peer {PEER} was found in app {APP}",
    ),
    (401, {"message": "Unauthorized"}, errors.AuthenticationError, "Unauthorized"),
]


@pytest.mark.parametrize(("status", "body", "kind", "sentence"), CASES)
async def test_client_errors_map_to_sentences_and_are_not_retried(
    status: int, body: Any, kind: type[errors.UpstreamError], sentence: str
) -> None:
    rec = Recorder(json_response(status, body, **{"cf-ray": "8abc-LHR"}))
    with pytest.raises(kind) as caught:
        await make_client(rec).get_peer_report(APP, PEER)
    assert sentence in str(caught.value)
    assert caught.value.status == status
    assert caught.value.request_id == "8abc-LHR"
    assert TOKEN not in str(caught.value)
    assert len(rec.requests) == 1


async def test_cloudflare_messages_and_codes_are_quoted() -> None:
    body = {"success": False, "errors": [{"code": 7003, "message": "No route for the URI"}]}
    rec = Recorder(json_response(404, body))
    with pytest.raises(errors.NotFoundError) as caught:
        await make_client(rec).get_peer_report(APP, PEER)
    assert '(Cloudflare: "No route for the URI", code 7003)' in str(caught.value)


async def test_429_honours_retry_after_then_succeeds() -> None:
    sleeps: list[float] = []
    rec = Recorder(
        json_response(429, {"success": False}, **{"Retry-After": "0.05"}),
        json_response(200, OK_BODY),
    )
    client = make_client(rec)
    report = await client.get_peer_report(APP, PEER)
    assert report.participant.id == PEER
    assert len(rec.requests) == 2
    del sleeps


async def test_429_with_retry_after_beyond_the_budget_gives_up_at_once() -> None:
    rec = Recorder(json_response(429, {"success": False}, **{"Retry-After": "300"}))
    with pytest.raises(errors.RateLimitedError) as caught:
        await make_client(rec, budget=2.0).get_peer_report(APP, PEER)
    assert len(rec.requests) == 1
    assert caught.value.retry_after == 300
    assert "Try again in 300 s" in str(caught.value)


async def test_429_without_retry_after_retries_with_backoff_within_attempts() -> None:
    rec = Recorder(json_response(429, {"success": False}))
    with pytest.raises(errors.RateLimitedError, match="Try again in a few minutes"):
        await make_client(rec, attempts=3).get_peer_report(APP, PEER)
    assert len(rec.requests) == 3


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_retried_then_explained(status: int) -> None:
    rec = Recorder(
        json_response(status, {"success": False, "error": {"code": status, "message": "x"}})
    )
    with pytest.raises(errors.ServerError, match=f"internal error \\({status}\\)"):
        await make_client(rec, attempts=2).get_peer_report(APP, PEER)
    assert len(rec.requests) == 2


async def test_server_error_then_success() -> None:
    rec = Recorder(json_response(503, {}), json_response(200, OK_BODY))
    report = await make_client(rec).get_peer_report(APP, PEER)
    assert report.participant.display_name == "Ada"


async def test_timeout_is_retried_and_explained() -> None:
    rec = Recorder(httpx.ReadTimeout("slow"))
    with pytest.raises(errors.ApiTimeoutError, match="did not answer within"):
        await make_client(rec, attempts=2).get_peer_report(APP, PEER)
    assert len(rec.requests) == 2


async def test_connection_refused_is_explained_without_secrets() -> None:
    rec = Recorder(httpx.ConnectError("[Errno 111] Connection refused"))
    with pytest.raises(errors.ConnectionFailedError) as caught:
        await make_client(rec, attempts=1).get_peer_report(APP, PEER)
    assert "api.example.test" in str(caught.value)
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    ("content", "kind", "phrase"),
    [
        (b"<!DOCTYPE html><html>502 Bad gateway</html>", errors.BadResponseError, "an HTML page"),
        (
            b'{"success": true, "data": {"participant": {"id": "x"',
            errors.BadResponseError,
            "truncated",
        ),
        (b"", errors.BadResponseError, "an empty body"),
        (b"[1, 2]", errors.BadResponseError, "not JSON"),
        (
            json.dumps({"success": False, "errors": [{"code": 9, "message": "nope"}]}).encode(),
            errors.ApiFailureError,
            '"nope"',
        ),
        (
            json.dumps({"success": True, "data": {}}).encode(),
            errors.NoParticipantError,
            "without a participant",
        ),
        (
            json.dumps({"success": True}).encode(),
            errors.NoParticipantError,
            "without a participant",
        ),
    ],
)
async def test_bad_bodies_with_200(content: bytes, kind: type[Exception], phrase: str) -> None:
    rec = Recorder(httpx.Response(200, content=content))
    with pytest.raises(kind, match=phrase):
        await make_client(rec).get_peer_report(APP, PEER)


def test_from_settings_names_what_is_missing() -> None:
    with pytest.raises(
        errors.ConfigurationError, match="CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID"
    ):
        RealtimeKitClient.from_settings(Settings(_env_file=None))


def test_settings_never_show_secrets() -> None:
    settings = Settings(_env_file=None, cloudflare_api_token=TOKEN, slack_bot_token="xoxb-SECRET")
    assert TOKEN not in repr(settings) and "xoxb-SECRET" not in repr(settings)
    assert TOKEN not in str(settings.model_dump())


def test_settings_parse_lists_and_aliases() -> None:
    settings = Settings(
        _env_file=None,
        realtimekit_apps=f"Prod={APP}, staging=0123456789abcdef0123456789abcdef",
        show_ip_in="C1, C2",
    )
    assert settings.realtimekit_apps == {"prod": APP, "staging": "0123456789abcdef0123456789abcdef"}
    assert settings.show_ip_in == ("C1", "C2")
