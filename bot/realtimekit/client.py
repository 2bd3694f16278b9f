"""The Cloudflare RealtimeKit client: one endpoint, one long-lived ``httpx.AsyncClient``.

IDs are validated before any I/O and quoted as single path segments. Every failure becomes a
typed error from :mod:`bot.realtimekit.errors` in one place (:meth:`_request`); 429, 5xx,
timeouts and connection failures are retried with backoff (``Retry-After`` honoured) within a
bounded time budget, using tenacity.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
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
from bot.ids import (
    validate_account_id,
    validate_app_id,
    validate_peer_id,
    validate_session_id,
)
from bot.realtimekit.errors import (
    ApiBadRequestError,
    ApiDetail,
    ApiFailureError,
    ApiTimeoutError,
    AuthenticationError,
    BadResponseError,
    BudgetExhaustedError,
    ConfigurationError,
    ConnectionFailedError,
    NoParticipantError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ReportTooLargeError,
    ServerError,
    UpstreamError,
)
from bot.realtimekit.gate import RateGate
from bot.realtimekit.models import Envelope, Participant, collecting_not_measured, no_gc
from bot.realtimekit.session_models import (
    SessionDetails,
    SessionParticipant,
    ShapeError,
    parse_participants_page,
    parse_session_details,
)

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

#: Default cap on one answer's size (PEER_REPORT_MAX_RESPONSE_BYTES).
MAX_RESPONSE_BYTES: Final = 64 * 1024 * 1024
#: Cloudflare allows 1,200 requests per 5 minutes per token; the bot keeps a margin.
BUDGET_LIMIT: Final = 1150
BUDGET_WINDOW: Final = 300.0


class RequestBudget:
    """A sliding-window count of requests sent with one token (in this process).

    :attr:`remaining` is what may still be sent in the current window (exported as a gauge);
    :meth:`take` spends one or says no.
    """

    def __init__(
        self,
        limit: int = BUDGET_LIMIT,
        window: float = BUDGET_WINDOW,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self._timer = timer
        self._sent: deque[float] = deque()

    def _expire(self) -> float:
        now = self._timer()
        while self._sent and now - self._sent[0] >= self.window:
            self._sent.popleft()
        return now

    @property
    def remaining(self) -> int:
        self._expire()
        return max(0, self.limit - len(self._sent))

    def seconds_until_free(self) -> float:
        """How long until one more request may be sent (0 when it may now)."""
        now = self._expire()
        if len(self._sent) < self.limit:
            return 0.0
        return max(0.0, self.window - (now - self._sent[0]))

    def take(self) -> bool:
        now = self._expire()
        if len(self._sent) >= self.limit:
            return False
        self._sent.append(now)
        return True


def _too_large(limit: int) -> ReportTooLargeError:
    return ReportTooLargeError(
        f"This peer report is too large to handle (over {limit / 1_048_576:.0f} MB; the limit is "
        "PEER_REPORT_MAX_RESPONSE_BYTES). Ask for one part of it from a terminal, e.g. "
        "`peer-report show APP PEER --filter device_info`."
    )


async def _read_capped(response: httpx.Response, limit: int) -> bytes:
    """The body, streamed; :class:`ReportTooLargeError` as soon as it passes ``limit``."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > limit:
            del body[:]
            raise _too_large(limit)
    return bytes(body)


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
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        budget: RequestBudget | None = None,
    ) -> None:
        self.account_id = validate_account_id(account_id)
        self.max_response_bytes = max_response_bytes
        self.budget = budget or RequestBudget()
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
            max_response_bytes=settings.max_response_bytes,
            budget=RequestBudget(limit=settings.cloudflare_budget),
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
        taken = self.budget.take()
        metrics.set_budget_left(self.budget.remaining)
        if not taken:
            wait = self.budget.seconds_until_free()
            raise BudgetExhaustedError(
                "The bot is saving its Cloudflare request budget (at most "
                f"{self.budget.limit:,} requests per 5 minutes for everyone): try again in "
                f"{max(1, round(wait))} s. Reports fetched in the last minute still open.",
                wait,
            )
        try:
            with metrics.cloudflare_call() as call:
                request = self._http.build_request("GET", url, params=params, headers=headers)
                response = await self._http.send(request, stream=True)
                call.status = str(response.status_code)
                try:
                    raw = await _read_capped(response, self.max_response_bytes)
                finally:
                    await response.aclose()
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
            with no_gc(), collecting_not_measured():
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

    # --- sessions (whole-call triage) -------------------------------------------------------

    @property
    def rate_gate(self) -> RateGate:
        """The shared 429 pause and request counter of this client (installed on first use)."""
        gate: RateGate | None = getattr(self, "_rate_gate", None)
        if gate is None:
            gate = RateGate()
            gate.install(self._http)
            self._rate_gate = gate
        return gate

    def session_url(self, app_id: str, session_id: str, *tail: str) -> str:
        """``…/realtime/kit/{app}/sessions/{session}[/tail…]``, every segment quoted."""
        segments = (
            "accounts",
            self.account_id,
            "realtime",
            "kit",
            app_id,
            "sessions",
            session_id,
            *tail,
        )
        return self.base_url + "/" + "/".join(quote(s, safe="") for s in segments)

    async def _session_json(
        self, url: str, params: dict[str, str], app: str, session: str
    ) -> dict[str, Any]:
        """One session-endpoint GET with the same retries and error mapping as reports."""
        _ = self.rate_gate
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(RETRYABLE),
            stop=stop_after_attempt(self.retry.attempts) | stop_before_delay(self.retry.budget),
            wait=_wait(self.retry),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    raw = await self._request(url, params, app, session)
        except NotFoundError as exc:
            raise NotFoundError(
                f"No session {session} was found in app {app} (404). Check the app ID and the "
                "session ID (the dashboard's Sessions page shows both).",
                exc.detail,
            ) from None
        except ApiBadRequestError as exc:
            raise ApiBadRequestError(
                f"Cloudflare rejected the request for app {app}, session {session} as "
                "malformed (400). Check that both IDs are the ones shown in the dashboard.",
                exc.detail,
            ) from None
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise BadResponseError(
                "Cloudflare's answer could not be read as session data (not a JSON object). "
                "Try again in a minute."
            )
        if body.get("success") is False:
            raise ApiFailureError(
                "Cloudflare answered but reported a failure.", _detail(httpx.Response(200), body)
            )
        return body

    async def get_session(self, app_id: str, session_id: str) -> SessionDetails:
        """A session's details (meeting title, LIVE/ENDED, start and end)."""
        app = validate_app_id(app_id)
        session = validate_session_id(session_id)
        body = await self._session_json(self.session_url(app, session), {}, app, session)
        try:
            return parse_session_details(body)
        except ShapeError:
            raise BadResponseError(
                "Cloudflare's session details had an unexpected shape. Try again; if it "
                "persists, report it."
            ) from None

    async def iter_session_participants(
        self, app_id: str, session_id: str, *, per_page: int = 100, max_pages: int = 200
    ) -> AsyncIterator[SessionParticipant]:
        """Every participant of a session, following ``page_no`` until all are read.

        Stops when ``paging.total_count`` items were read, a page is empty or short (when no
        total is given), a page repeats the previous one (a server ignoring ``page_no``), or
        after ``max_pages`` pages.
        """
        app = validate_app_id(app_id)
        session = validate_session_id(session_id)
        url = self.session_url(app, session, "participants")
        seen = 0
        previous: list[str | None] | None = None
        for page_no in range(1, max_pages + 1):
            params = {"page_no": str(page_no), "per_page": str(per_page)}
            body = await self._session_json(url, params, app, session)
            try:
                page = parse_participants_page(body)
            except ShapeError:
                raise BadResponseError(
                    "Cloudflare's participant list had an unexpected shape. Try again; if it "
                    "persists, report it."
                ) from None
            ids = [p.id for p in page.participants]
            if not ids or ids == previous:
                return
            previous = ids
            for participant in page.participants:
                yield participant
            seen += len(ids)
            total = page.paging.total_count if page.paging else None
            if total is not None and seen >= total:
                return
            if total is None and len(ids) < per_page:
                return
