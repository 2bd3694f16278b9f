"""Measure 4: ack latency of signed slash commands, 50 in flight, upstream taking 1 s.

Everything runs on loopback: a stand-in for Slack's Web API and response_urls and for
Cloudflare (answering after 1 s) in one Starlette app under uvicorn in a background thread,
and the bot itself as a separate process (``peer-report serve``), as in production.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import uvicorn
from slack_sdk.signature import SignatureVerifier
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from benchmarks.common import ROOT, Result, free_port, percentile

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
APP = "14a396e7-ca44-4937-bf1f-050a69118543"
SECRET = "bench-signing-secret"
IN_FLIGHT = 50
UPSTREAM_DELAY = 1.0


def fake_world() -> Starlette:
    async def slack(request: Request) -> Response:
        method = request.path_params["method"]
        if method == "auth.test":
            return JSONResponse(
                {"ok": True, "team_id": "T0001", "user_id": "U0BOT", "bot_id": "B1"}
            )
        return JSONResponse({"ok": True, "ts": "1.0", "channel": "C0CHAN"})

    async def response_url(_: Request) -> Response:
        return Response("ok")

    async def cloudflare(request: Request) -> Response:
        await asyncio.sleep(UPSTREAM_DELAY)
        peer = request.path_params["peer"]
        body = {"success": True, "data": {"participant": {"id": peer, "display_name": "Bench"}}}
        return JSONResponse(body)

    return Starlette(
        routes=[
            Route("/api/{method}", slack, methods=["POST", "GET"]),
            Route("/response/{token}", response_url, methods=["POST"]),
            Route(
                "/client/v4/accounts/{account}/realtime/kit/{app}/sessions/peer-report/{peer}",
                cloudflare,
            ),
        ]
    )


@contextlib.contextmanager
def served(app: Any) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)


def signed(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body),
    }


def command_body(world: str, index: int) -> str:
    peer = f"79d87ca5-7e47-452a-b3c1-{index:012x}"
    return urlencode(
        {
            "command": "/peer-report",
            "text": f"{APP} {peer}",
            "team_id": "T0001",
            "user_id": "U0USER",
            "channel_id": "C0CHAN",
            "response_url": f"{world}/response/{index}",
            "trigger_id": f"trigger-{index}",
            "api_app_id": "A0001",
        }
    )


async def fire(bot: str, world: str) -> list[float]:
    """Send the commands over raw keep-alive-free HTTP/1.1 so the client adds ~nothing."""
    host, port = bot.removeprefix("http://").split(":")

    async def one(index: int) -> float:
        body = command_body(world, index)
        head = "".join(f"{k}: {v}\r\n" for k, v in signed(body).items())
        request = (
            f"POST /slack/events HTTP/1.1\r\nHost: {host}\r\n{head}"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}"
        ).encode()
        reader, writer = await asyncio.open_connection(host, int(port))
        start = time.perf_counter()
        writer.write(request)
        status = await reader.readline()
        elapsed = time.perf_counter() - start
        writer.close()
        if b" 200 " not in status:
            raise RuntimeError(f"ack failed: {status!r}")
        return elapsed

    await one(10_000)  # warm-up: Bolt's first auth.test, connection pools
    await asyncio.sleep(UPSTREAM_DELAY + 0.5)
    gc.collect()  # the client must not pause for garbage left by earlier measures
    gc.disable()
    try:
        return list(await asyncio.gather(*(one(i) for i in range(IN_FLIGHT))))
    finally:
        gc.enable()


@contextlib.contextmanager
def bot_process(world: str) -> Iterator[str]:
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"{world}/api/",
        "CLOUDFLARE_API_TOKEN": "bench",
        "CLOUDFLARE_ACCOUNT_ID": ACCOUNT,
        "CLOUDFLARE_API_BASE_URL": f"{world}/client/v4",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


def run() -> list[Result]:
    with served(fake_world()) as world, bot_process(world) as bot:
        latencies = asyncio.run(fire(bot, world))
        time.sleep(UPSTREAM_DELAY + 1)  # let the lookups finish before shutdown
    p50 = percentile(latencies, 50) * 1000
    p99 = percentile(latencies, 99) * 1000
    detail = f"{IN_FLIGHT} signed /peer-report commands at once, upstream {UPSTREAM_DELAY:.0f} s"
    return [
        Result("ack latency p50", p50, "ms", "< 20 ms", p50 < 20, detail),
        Result("ack latency p99", p99, "ms", "< 100 ms", p99 < 100, detail),
    ]
