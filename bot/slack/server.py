"""Running the bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP behind uvicorn.

HTTP mode serves Slack's requests at ``POST /slack/events``, ``GET /healthz`` and
``GET /metrics`` (Prometheus; see bot/metrics.py). Every request to the events path passes
:mod:`bot.slack.gate` (size, timestamp, signature, shape) and the replay memory
(:mod:`bot.slack.replay`) before Bolt sees it; a refused request is logged as one line
(reason, path, size), never its body. In Socket Mode the metrics are served on
PEER_REPORT_METRICS_PORT when it is set. On SIGTERM the bot stops taking
new work, lets in-flight lookups finish (bounded by ``DRAIN_SECONDS``) and exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from collections.abc import AsyncIterator
from typing import Any

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot import logs, logsafe, metrics
from bot.cache import make_cache, make_recent
from bot.config import Settings
from bot.realtimekit.errors import ConfigurationError
from bot.service import DemoSource, LiveSource, ReportSource
from bot.slack import gate, replay
from bot.slack.app import create_app
from bot.slack.services import Services

log = logging.getLogger("bot.slack")

DRAIN_SECONDS = 20.0
EVENTS_PATH = "/slack/events"


def build_services(settings: Settings, *, demo: bool) -> Services:
    """The report source (live API through the cache, or the samples) and the stores."""
    source: ReportSource
    if demo:
        source = DemoSource()
    elif settings.oauth_mode:
        from bot.credentials import CredentialStore
        from bot.service import TeamSource

        if settings.encryption_key is None:
            raise ConfigurationError(
                "OAuth mode needs PEER_REPORT_ENCRYPTION_KEY (a Fernet key) to store each "
                "workspace's Cloudflare token encrypted"
            )
        store = CredentialStore(settings.data_dir / "credentials", settings.encryption_key)
        source = TeamSource(settings, store, make_cache(settings))
    else:
        from bot.realtimekit.client import RealtimeKitClient

        source = LiveSource(RealtimeKitClient.from_settings(settings), make_cache(settings))
    return Services(settings=settings, source=source, recent=make_recent(settings), demo=demo)


def check_slack_settings(settings: Settings) -> None:
    """Fail fast, with the variable's name, when Slack credentials are missing."""
    missing: list[str] = []
    if not settings.slack_bot_token and not settings.oauth_mode:
        missing.append("SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)")
    if not settings.socket_mode and not settings.slack_signing_secret:
        missing.append("SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)")
    if missing:
        raise ConfigurationError("cannot serve: " + "; ".join(missing) + " not set")


def create_asgi(app: AsyncApp, services: Services) -> Starlette:
    """Starlette app: Slack's endpoint, the health check, OAuth routes when enabled."""
    handler = AsyncSlackRequestHandler(app)
    logsafe.install()
    settings = services.settings
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    seen = replay.make_seen(settings)

    async def events(request: Request) -> Response:
        body_or_refusal = await _read_body(request, gate.MAX_BODY)
        if isinstance(body_or_refusal, gate.Refusal):
            return _refuse(request, body_or_refusal, _declared_size(request))
        body = body_or_refusal
        refusal = _verify(request, body, secret)
        if refusal is not None:
            return _refuse(request, refusal, len(body))
        headers = request.headers
        stamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not await seen.first_time(replay.request_key(stamp, signature)):
            log.warning("replayed request ignored: path=%s size=%d", request.url.path, len(body))
            return Response(status_code=200)
        event_id = _event_id(body, headers.get("content-type", ""))
        if event_id and not await seen.first_time(replay.event_key(event_id)):
            log.info(
                "event %s already handled; retry %s acknowledged",
                event_id,
                headers.get("x-slack-retry-num", "-"),
            )
            return Response(status_code=200)
        with metrics.ack_timer("http"):
            return await handler.handle(request)

    async def oauth_route(request: Request) -> Response:
        return await handler.handle(request)

    async def metrics_page(_: Request) -> Response:
        body, content_type = metrics.render()
        return Response(body, headers={"Content-Type": content_type})

    async def healthz(_: Request) -> Response:
        return JSONResponse(
            {"ok": True, "in_flight": services.inflight.count, "demo": services.demo}
        )

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        warm_up()
        if app.oauth_flow is not None:
            from bot.slack.oauth import prepare_stores

            await prepare_stores(app.oauth_flow.settings)
        yield
        drained = await services.inflight.drain(DRAIN_SECONDS)
        if not drained:
            log.warning(
                "shutdown: %d lookups still running after %.0f s",
                services.inflight.count,
                DRAIN_SECONDS,
            )
        await services.source.aclose()
        await seen.aclose()

    routes = [
        Route(EVENTS_PATH, events, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ]
    if app.oauth_flow is not None:
        routes += [
            Route(app.oauth_flow.install_path, oauth_route, methods=["GET"]),
            Route(app.oauth_flow.redirect_uri_path, oauth_route, methods=["GET"]),
        ]
    return Starlette(routes=routes, lifespan=lifespan)


async def _read_body(request: Request, cap: int) -> bytes | gate.Refusal:
    """The body, read at most ``cap`` bytes far (a declared or streamed excess is refused)."""
    refusal = gate.too_large(request.headers.get("content-length"), cap)
    if refusal is not None:
        return refusal
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            return gate.Refusal(413, "body too large")
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # Bolt's adapter reads the body again: hand it the same bytes.
    return body


def _verify(request: Request, body: bytes, secret: str) -> gate.Refusal | None:
    headers = request.headers
    stamp = headers.get("x-slack-request-timestamp")
    refusal = gate.check_timestamp(stamp)
    if refusal is not None:
        return refusal
    assert stamp is not None
    if not gate.check_signature(secret, stamp, body, headers.get("x-slack-signature")):
        return gate.Refusal(401, "bad signature")
    return gate.check_shape(body, headers.get("content-type", ""))


def _declared_size(request: Request) -> int:
    text = (request.headers.get("content-length") or "").strip()
    return int(text) if text.isdigit() else -1


def _refuse(request: Request, refusal: gate.Refusal, size: int) -> Response:
    """One log line (reason, path, size; never the body) and a bodiless-ish answer."""
    log.warning(
        "refused request: status=%d reason=%s path=%s size=%d",
        refusal.status,
        refusal.reason,
        request.url.path,
        size,
    )
    return PlainTextResponse(refusal.reason, status_code=refusal.status)


def _event_id(body: bytes, content_type: str) -> str | None:
    """``event_id`` of an Events API callback (the key Slack's retries share)."""
    if "json" not in content_type or b'"event_id"' not in body:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    value = data.get("event_id") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None


def warm_up() -> None:
    """Load what the first requests need once the server is up, not at import.

    The templates of the acks, then the modules every lookup uses (the models, the engine,
    the summary card): otherwise the first lookups import them while acks are waiting.
    """
    import importlib

    from bot.render.environment import environment

    environment().get_template("help.json.j2")
    environment().get_template("notice.json.j2")
    for module in ("bot.realtimekit.client", "bot.health", "bot.render.summary"):
        importlib.import_module(module)


def build(settings: Settings, *, demo: bool) -> tuple[AsyncApp, Services]:
    check_slack_settings(settings)
    metrics.enable()
    services = build_services(settings, demo=demo)
    oauth_settings: Any = None
    if settings.oauth_mode:
        from bot.slack.oauth import oauth_settings_for

        oauth_settings = oauth_settings_for(settings)
    return create_app(settings, services, oauth_settings=oauth_settings), services


def serve(settings: Settings, *, port: int, host: str, demo: bool) -> int:
    """Run until SIGTERM/SIGINT; 0 after a clean drain."""
    logs.configure(settings.log_format)
    logsafe.install()
    app, services = build(settings, demo=demo)
    if settings.metrics_port is not None:
        metrics.serve_side_port(settings.metrics_port, host)
    if settings.socket_mode:
        return asyncio.run(_socket_mode(app, services, settings))
    import uvicorn

    config = uvicorn.Config(
        create_asgi(app, services),
        host=host,
        port=port,
        log_level="info",
        # JSON logs: uvicorn's loggers go through ours; text: uvicorn's own format, as before.
        log_config=None if settings.log_format == "json" else uvicorn.config.LOGGING_CONFIG,
        # No per-request access line: a refused request is logged once, by the gate.
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=int(DRAIN_SECONDS),
        proxy_headers=True,
    )
    # uvicorn drains on SIGTERM (the lifespan waits for in-flight lookups), then re-raises the
    # signal to the previous handler: make that handler a no-op so a clean drain exits 0.
    signal.signal(signal.SIGTERM, lambda *_: None)
    uvicorn.Server(config).run()
    return 0


async def _socket_mode(app: AsyncApp, services: Services, settings: Settings) -> int:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    assert settings.slack_app_token is not None

    class TimedHandler(AsyncSocketModeHandler):
        async def handle(self, client: Any, req: Any) -> None:
            with metrics.ack_timer("socket"):
                await super().handle(client, req)

    handler = TimedHandler(app, settings.slack_app_token.get_secret_value())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    warm_up()
    await handler.connect_async()  # type: ignore[no-untyped-call]
    log.info("connected to Slack in Socket Mode%s", " (demo data)" if services.demo else "")
    await stop.wait()
    log.info("shutting down: draining %d lookups", services.inflight.count)
    await handler.disconnect_async()  # type: ignore[no-untyped-call]
    await services.inflight.drain(DRAIN_SECONDS)
    await handler.close_async()  # type: ignore[no-untyped-call]
    await services.source.aclose()
    return 0
