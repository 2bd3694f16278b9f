"""Prometheus metrics: what an operator graphs. Every label is a small fixed vocabulary.

Labels never carry an ID, a name or an IP: lookups are counted by *surface* (command, button,
modal, shortcut, unfurl, home, …) and *outcome* (``ok`` or the error kind), Cloudflare answers
by HTTP status, Slack API errors by method and Slack's error code.

``prometheus_client`` is imported only by :func:`enable`, which the server calls at start-up;
until then (and in the CLI) every hook below is a no-op costing one attribute check, so neither
the CLI nor ``import bot.slack.app`` pays for it.

Series (all prefixed ``peer_report_``):

* ``lookups_total{surface,outcome}``, ``lookups_in_flight``
* ``cloudflare_request_seconds`` (histogram), ``cloudflare_responses_total{status}``
* ``cache_requests_total{result}`` (``hit``, ``miss``, ``join`` = waited for another's fetch)
* ``slack_api_errors_total{method,error}``
* ``request_budget_left`` (set by whoever enforces the Cloudflare request budget)
* ``ack_seconds{mode}`` (histogram; ``http`` or ``socket``)
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prometheus_client import Counter, Gauge, Histogram

#: Which Slack surface the current request came from (lazy listener tasks inherit it).
current_surface: ContextVar[str] = ContextVar("peer_report_surface", default="other")

ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
CLOUDFLARE_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
_SLACK_METHOD = re.compile(r"^[a-z][A-Za-z]*(\.[A-Za-z]+)+$")
_SLACK_ERROR = re.compile(r"^[a-z0-9_]{1,64}$")


@dataclass(frozen=True)
class _Metrics:
    lookups: Counter
    in_flight: Gauge
    cloudflare_seconds: Histogram
    cloudflare_responses: Counter
    cache: Counter
    slack_errors: Counter
    budget_left: Gauge
    ack_seconds: Histogram


_metrics: _Metrics | None = None
_budget_left: float | None = None


def enable() -> None:
    """Create the series in the default registry (idempotent); called when the server starts."""
    global _metrics
    if _metrics is not None:
        return
    from prometheus_client import Counter, Gauge, Histogram

    _metrics = _Metrics(
        lookups=Counter(
            "peer_report_lookups",
            "Peer report lookups by Slack surface and outcome (ok or the error kind).",
            ["surface", "outcome"],
        ),
        in_flight=Gauge("peer_report_lookups_in_flight", "Lookups in progress right now."),
        cloudflare_seconds=Histogram(
            "peer_report_cloudflare_request_seconds",
            "Time of one HTTP request to Cloudflare's peer report API (each retry counts).",
            buckets=CLOUDFLARE_BUCKETS,
        ),
        cloudflare_responses=Counter(
            "peer_report_cloudflare_responses",
            "Cloudflare API answers by HTTP status (timeout / connection_error without one).",
            ["status"],
        ),
        cache=Counter(
            "peer_report_cache_requests",
            "Report cache: hit, miss (fetched upstream) or join (shared another fetch).",
            ["result"],
        ),
        slack_errors=Counter(
            "peer_report_slack_api_errors",
            "Slack Web API calls answered ok=false, by method and Slack's error code.",
            ["method", "error"],
        ),
        budget_left=Gauge(
            "peer_report_request_budget_left",
            "Cloudflare requests left in the current budget window.",
        ),
        ack_seconds=Histogram(
            "peer_report_ack_seconds",
            "Time to acknowledge a Slack request (Slack gives up after 3 s).",
            ["mode"],
            buckets=ACK_BUCKETS,
        ),
    )
    # NaN ("not known") until a budget is enforced and reports, rather than a misleading 0.
    _metrics.budget_left.set(float("nan") if _budget_left is None else _budget_left)


def enabled() -> bool:
    return _metrics is not None


def render() -> tuple[bytes, str]:
    """The scrape body in Prometheus text format, and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

    enable()
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def serve_side_port(port: int, host: str = "0.0.0.0") -> None:  # noqa: S104 - scraped remotely
    """``GET /metrics`` on its own port (Socket Mode has no HTTP server of its own)."""
    from prometheus_client import start_http_server

    from bot.realtimekit.errors import ConfigurationError

    enable()
    try:
        start_http_server(port, addr=host)
    except OSError as exc:
        raise ConfigurationError(
            f"PEER_REPORT_METRICS_PORT={port} cannot be used on {host}: {exc.strerror or exc}"
        ) from None


# --- hooks (no-ops until enable()) ------------------------------------------------------------


def surface_of(body: Mapping[str, Any]) -> str:
    """The surface a Slack request body comes from, as a fixed word."""
    if body.get("command"):
        return "command"
    kind = body.get("type")
    if kind == "event_callback":
        event = body.get("event") or {}
        return {"link_shared": "unfurl", "app_home_opened": "home"}.get(
            str(event.get("type")), "event"
        )
    return {
        "block_actions": "button",
        "view_submission": "modal",
        "view_closed": "modal",
        "shortcut": "shortcut",
        "message_action": "shortcut",
        "block_suggestion": "modal",
    }.get(str(kind), "other")


def outcome_of(error: BaseException | None) -> str:
    """``ok``, or the error's kind from its class (``NotFoundError`` → ``not_found``)."""
    if error is None:
        return "ok"
    from bot.realtimekit.errors import PeerReportError

    if not isinstance(error, PeerReportError):
        return "unexpected"
    name = type(error).__name__.removesuffix("Error") or "error"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@contextlib.asynccontextmanager
async def lookup() -> AsyncIterator[None]:
    """Around one report lookup: in-flight gauge, then lookups_total by surface and outcome."""
    m = _metrics
    if m is None:
        yield
        return
    m.in_flight.inc()
    error: BaseException | None = None
    try:
        yield
    except BaseException as exc:
        error = exc
        raise
    finally:
        m.in_flight.dec()
        m.lookups.labels(current_surface.get(), outcome_of(error)).inc()


class _Call:
    status: str = "error"


@contextlib.contextmanager
def cloudflare_call() -> Iterator[_Call]:
    """Around one HTTP request to Cloudflare; set ``.status`` to the response's status code."""
    call = _Call()
    start = time.perf_counter()
    try:
        yield call
    except BaseException as exc:
        name = type(exc).__name__
        call.status = "timeout" if "Timeout" in name else "connection_error"
        raise
    finally:
        m = _metrics
        if m is not None:
            m.cloudflare_seconds.observe(time.perf_counter() - start)
            m.cloudflare_responses.labels(call.status).inc()


def cache_event(result: str) -> None:
    """``hit``, ``miss`` or ``join``."""
    if _metrics is not None:
        _metrics.cache.labels(result).inc()


def slack_api_error(method: str, error: str) -> None:
    if _metrics is not None:
        method = method if _SLACK_METHOD.match(method) else "other"
        error = error if _SLACK_ERROR.match(error) else "other"
        _metrics.slack_errors.labels(method, error).inc()


def set_budget_left(n: float) -> None:
    """The Cloudflare request budget's remaining requests (kept until metrics are enabled)."""
    global _budget_left
    _budget_left = n
    if _metrics is not None:
        _metrics.budget_left.set(n)


@contextlib.contextmanager
def ack_timer(mode: str) -> Iterator[None]:
    """Around the handling of one Slack request up to its acknowledgement."""
    start = time.perf_counter()
    try:
        yield
    finally:
        if _metrics is not None:
            _metrics.ack_seconds.labels(mode).observe(time.perf_counter() - start)


def slack_error_counter() -> Any:
    """A Slack SDK retry handler that never retries, only counts ``ok: false`` answers.

    Retry handlers are copied to the per-workspace clients Bolt builds, so every Web API call
    of the bot passes through it. Put it first in the list so it sees every answer.
    """
    from slack_sdk.http_retry.async_handler import AsyncRetryHandler

    class SlackErrorCounter(AsyncRetryHandler):
        async def can_retry_async(
            self,
            *,
            state: Any,
            request: Any,
            response: Any = None,
            error: Exception | None = None,
        ) -> bool:
            body = getattr(response, "body", None)
            if isinstance(body, dict) and body.get("ok") is False:
                method = str(getattr(request, "url", "")).rsplit("/", 1)[-1]
                slack_api_error(method, str(body.get("error") or "unknown"))
            return False

    return SlackErrorCounter()
