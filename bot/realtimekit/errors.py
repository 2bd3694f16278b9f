"""Every way a lookup can fail, each with a sentence a user can act on.

``str(error)`` is that sentence: safe to show in Slack or on stderr. It never contains the API
token; Cloudflare's own message is included (truncated) because it is often the most precise
explanation. ``request_id`` is Cloudflare's ``cf-ray`` when the response had one.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class PeerReportError(Exception):
    """Base of every error this package raises on purpose."""

    #: CLI exit code for this error class (DESIGN.md: 2 bad input, 3 upstream failure).
    exit_code = 3

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadInputError(PeerReportError):
    """The user's input (IDs, file, flags) is wrong; nothing was requested."""

    exit_code = 2


class ConfigurationError(BadInputError):
    """A required setting is missing or malformed."""


@dataclass(frozen=True)
class ApiDetail:
    """What Cloudflare said, when it said anything."""

    status: int | None = None
    codes: tuple[int | str, ...] = ()
    messages: tuple[str, ...] = ()
    request_id: str | None = None
    retry_after: float | None = field(default=None)

    def said(self) -> str:
        """`` (Cloudflare: "…", code 7003)`` or ``""``."""
        if not self.messages:
            return ""
        text = "; ".join(m.strip() for m in self.messages if m.strip())[:300]
        codes = ", ".join(str(c) for c in self.codes if c not in (None, ""))
        code_part = f", code {codes}" if codes else ""
        return f' (Cloudflare: "{text}"{code_part})' if text else ""


class UpstreamError(PeerReportError):
    """The Cloudflare API did not give us a report."""

    def __init__(self, message: str, detail: ApiDetail | None = None) -> None:
        self.detail = detail or ApiDetail()
        super().__init__(message + self.detail.said())

    @property
    def status(self) -> int | None:
        return self.detail.status

    @property
    def request_id(self) -> str | None:
        return self.detail.request_id


class ApiBadRequestError(UpstreamError):
    """400: Cloudflare rejected the request (usually a malformed app or peer ID)."""


class AuthenticationError(UpstreamError):
    """401: the API token is missing, wrong, expired or revoked."""


class PermissionDeniedError(UpstreamError):
    """403: the token lacks the Realtime permission or is for another account."""


class NotFoundError(UpstreamError):
    """404: no such app, or no such peer in that app."""


class RateLimitedError(UpstreamError):
    """429: Cloudflare's rate limit was hit; retry after ``retry_after`` seconds."""

    @property
    def retry_after(self) -> float | None:
        return self.detail.retry_after


class ServerError(UpstreamError):
    """5xx: Cloudflare had a problem."""


class ApiTimeoutError(UpstreamError):
    """Cloudflare did not answer in time."""


class ConnectionFailedError(UpstreamError):
    """The API could not be reached at all (DNS, refused, TLS)."""


class BadResponseError(UpstreamError):
    """Cloudflare answered 2xx but the body is not a peer report (HTML, truncated JSON…)."""


class ApiFailureError(UpstreamError):
    """Cloudflare answered ``success: false`` with a 2xx status."""


class NoParticipantError(UpstreamError):
    """``success: true`` but no participant in ``data``."""


class ReportTooLargeError(UpstreamError):
    """Cloudflare's answer is bigger than ``PEER_REPORT_MAX_RESPONSE_BYTES``."""


class BudgetExhaustedError(UpstreamError):
    """The bot is saving its share of Cloudflare's 1,200 requests per 5 minutes per token."""

    def __init__(self, message: str, wait_seconds: float) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds
