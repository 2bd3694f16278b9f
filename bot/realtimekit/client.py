"""The Cloudflare RealtimeKit client: one endpoint, one long-lived ``httpx.AsyncClient``.

IDs are validated before any I/O and quoted as single path segments. Every failure becomes a
typed error from :mod:`bot.realtimekit.errors` in one place (:meth:`_request`); 429, 5xx,
timeouts and connection failures are retried with backoff (``Retry-After`` honoured) within a
bounded time budget, using tenacity.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import quote

import httpx
from pydantic import SecretStr, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)

from bot import metrics
from bot.config import Settings
from bot.ids import validate_account_id, validate_app_id, validate_peer_id
from bot.realtimekit.errors import (
    ApiBadRequestError,
    ApiDetail,
    ApiFailureError,
    ApiTimeoutError,
    AuthenticationError,
    BadResponseError,
    ConfigurationError,
    ConnectionFailedError,
    NoParticipantError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    UpstreamError,
)
from bot.realtimekit.models import Envelope, Participant, no_gc

#: Values the API's ``filters`` query parameter accepts.
FILTERS: Final = (
    "device_info",
    "ip_information",
    "precall_network_information",
    "events",
    "quality_stats",
)

USER_AGENT: Final = "peer-report/0.1 (+https://github.com/peer-report)"


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: at most ``attempts`` requests within ``budget`` seconds."""

    attempts: int = 3
    budget: float = 20.0
    initial_backoff: float = 0.5
    max_backoff: float = 4.0


@dataclass(frozen=True)
class FetchedReport:
    """A parsed report together with the exact bytes Cloudflare sent (for caches, raw view)."""

    participant: Participant
    raw: bytes
    fetched_at: datetime
    app_id: str
    peer_id: str


RETRYABLE = (RateLimitedError, ServerError, ApiTimeoutError, ConnectionFailedError)


def _detail(response: httpx.Response, body: Any) -> ApiDetail:
    """Pull Cloudflare's words out of any of its three error shapes."""
    codes: list[int | str] = []
    messages: list[str] = []
    if isinstance(body, dict):
        for err in body.get("errors") or []:
            if isinstance(err, dict):
                if err.get("code") is not None:
                    codes.append(err["code"])
                if err.get("message"):
                    messages.append(str(err["message"]))
        single = body.get("error")
        if isinstance(single, dict):
            if single.get("code") is not None:
                codes.append(single["code"])
            if single.get("message"):
                messages.append(str(single["message"]))
        elif isinstance(single, str):
            messages.append(single)
        if not messages and isinstance(body.get("message"), str):
            messages.append(body["message"])
    retry_after: float | None = None
    header = response.headers.get("retry-after")
    if header:
        try:
            retry_after = max(0.0, float(header))
        except ValueError:
            retry_after = None
    return ApiDetail(
        status=response.status_code,
        codes=tuple(codes),
        messages=tuple(messages),
        request_id=response.headers.get("cf-ray"),
        retry_after=retry_after,
    )


def _status_error(response: httpx.Response, body: Any, app_id: str, peer_id: str) -> UpstreamError:
    detail = _detail(response, body)
    status = response.status_code
    if status == 400:
        return ApiBadRequestError(
            f"Cloudflare rejected the request for app {app_id}, peer {peer_id} as malformed "
            "(400). Check that both IDs are the ones shown in the RealtimeKit dashboard.",
            detail,
        )
    if status == 401:
        return AuthenticationError(
            "Cloudflare did not accept the API token (401): it is missing, mistyped, expired or "
            "revoked. Create a token with the Realtime permission and set CLOUDFLARE_API_TOKEN.",
            detail,
        )
    if status == 403:
        return PermissionDeniedError(
            "The API token is not allowed to read peer reports (403): it needs the "
            '"Realtime" or "Realtime Admin" permission on this account, and '
            "CLOUDFLARE_ACCOUNT_ID must be the account the app belongs to.",
            detail,
        )
    if status == 404:
        return NotFoundError(
            f"No peer {peer_id} was found in app {app_id} (404). Check the app ID, and that the "
            "peer ID is the one from this session (a rejoin creates a new peer ID).",
            detail,
        )
    if status == 429:
        wait = (
            f" Try again in {detail.retry_after:.0f} s."
            if detail.retry_after
            else " Try again in a few minutes."
        )
        return RateLimitedError(
            "Cloudflare's API rate limit was reached (429): 1,200 requests per 5 minutes per "
            "token." + wait,
            detail,
        )
    if status >= 500:
        return ServerError(
            f"Cloudflare's API had an internal error ({status}). This is usually brief: try "
            "again in a minute, and check https://www.cloudflarestatus.com if it persists.",
            detail,
        )
    return UpstreamError(f"Cloudflare answered with an unexpected status {status}.", detail)


def _wait(policy: RetryPolicy) -> Any:
    backoff = wait_exponential_jitter(
        multiplier=policy.initial_backoff, max=policy.max_backoff, jitter=policy.initial_backoff
    )

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RateLimitedError) and exc.retry_after is not None:
            return exc.retry_after
        return float(backoff(state))

    return wait


class RealtimeKitClient:
    """Async client for ``GET …/realtime/kit/{app}/sessions/peer-report/{peer}``."""

    def __init__(
        self,
        *,
        account_id: str,
        api_token: SecretStr,
        base_url: str,
        http: httpx.AsyncClient | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.account_id = validate_account_id(account_id)
        self._token = api_token
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._http = http or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
        )
        self._owns_http = http is None

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        http: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
    ) -> RealtimeKitClient:
        """Build from Settings; a clear :class:`ConfigurationError` when something is missing."""
        missing = [
            name
            for name, value in (
                ("CLOUDFLARE_API_TOKEN", settings.cloudflare_api_token),
                ("CLOUDFLARE_ACCOUNT_ID", settings.cloudflare_account_id),
            )
            if not value
        ]
        if missing:
            raise ConfigurationError(
                f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: the bot "
                "needs a Cloudflare API token with the Realtime permission and the account ID "
                "(or use --demo / --file)."
            )
        assert settings.cloudflare_api_token is not None
        assert settings.cloudflare_account_id is not None
        return cls(
            account_id=settings.cloudflare_account_id,
            api_token=settings.cloudflare_api_token,
            base_url=settings.cloudflare_api_base_url,
            http=http,
            timeout=settings.cloudflare_timeout,
            retry=retry,
        )

    async def __aenter__(self) -> RealtimeKitClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    def url_for(self, app_id: str, peer_id: str) -> str:
        """The endpoint URL, every segment validated and quoted."""
        segments = (
            "accounts",
            self.account_id,
            "realtime",
            "kit",
            app_id,
            "sessions",
            "peer-report",
            peer_id,
        )
        return self.base_url + "/" + "/".join(quote(s, safe="") for s in segments)

    async def get_peer_report(
        self,
        app_id: str,
        peer_id: str,
        *,
        filters: Iterable[str] | None = None,
        include_peer_events: bool = False,
    ) -> FetchedReport:
        """Fetch and parse one peer's report. Raises a :class:`UpstreamError` subclass."""
        app = validate_app_id(app_id)
        peer = validate_peer_id(peer_id)
        params: dict[str, str] = {}
        if filters:
            chosen = list(dict.fromkeys(filters))
            unknown = [f for f in chosen if f not in FILTERS]
            if unknown:
                raise ConfigurationError(
                    f"Unknown filter {unknown[0]!r}: expected one of {', '.join(FILTERS)}."
                )
            params["filters"] = ",".join(chosen)
        if include_peer_events:
            params["include_peer_events"] = "true"
        url = self.url_for(app, peer)

        retrying = AsyncRetrying(
            retry=retry_if_exception_type(RETRYABLE),
            stop=stop_after_attempt(self.retry.attempts) | stop_before_delay(self.retry.budget),
            wait=_wait(self.retry),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                raw = await self._request(url, params, app, peer)
        participant = self._parse(raw)
        return FetchedReport(
            participant=participant,
            raw=raw,
            fetched_at=datetime.now(UTC),
            app_id=app,
            peer_id=peer,
        )

    async def _request(self, url: str, params: dict[str, str], app: str, peer: str) -> bytes:
        """One HTTP round trip; every failure mapped to a typed error here and only here."""
        headers = {
            "Authorization": f"Bearer {self._token.get_secret_value()}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        try:
            with metrics.cloudflare_call() as call:
                response = await self._http.get(url, params=params, headers=headers)
                call.status = str(response.status_code)
        except httpx.TimeoutException:
            raise ApiTimeoutError(
                f"Cloudflare's API did not answer within {self.timeout:g} s. Try again; if it "
                "keeps happening check https://www.cloudflarestatus.com."
            ) from None
        except httpx.TransportError as exc:
            host = httpx.URL(url).host or "the API"
            reason = type(exc).__name__.replace("Error", " error").strip().lower()
            raise ConnectionFailedError(
                f"Could not reach the Cloudflare API at {host} ({reason}). Check the network "
                "and CLOUDFLARE_API_BASE_URL."
            ) from None
        raw = response.content
        if response.is_success:
            return raw
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = None
        raise _status_error(response, body, app, peer)

    @staticmethod
    def _parse(raw: bytes) -> Participant:
        head = raw[:512].lstrip().lower()
        if not head.startswith(b"{"):
            what = "an HTML page" if head.startswith((b"<!doctype", b"<html")) else "not JSON"
            if not head:
                what = "an empty body"
            raise BadResponseError(
                f"Cloudflare answered with {what} instead of a peer report. This usually means "
                "a proxy error or an outage; try again in a minute."
            )
        try:
            with no_gc():
                envelope = Envelope.model_validate_json(raw)
        except ValidationError as exc:
            kind = exc.errors(include_url=False)[0]["type"]
            what = "truncated or invalid JSON" if kind == "json_invalid" else "an unexpected shape"
            raise BadResponseError(
                f"Cloudflare's answer could not be read as a peer report ({what}). "
                "Try again; if it persists, save it with --file and report it."
            ) from None
        if envelope.success is False:
            extra = envelope.model_extra or {}
            fake = httpx.Response(200)
            raise ApiFailureError(
                "Cloudflare answered but reported a failure.", _detail(fake, extra)
            )
        participant = envelope.data.participant if envelope.data else None
        if participant is None:
            raise NoParticipantError(
                "Cloudflare answered without a participant: the report is empty. The peer may "
                "not have sent any stats yet; try again after the call has run for a minute."
            )
        return participant
