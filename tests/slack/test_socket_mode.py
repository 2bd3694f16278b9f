"""Socket Mode end to end: `serve --demo` with SLACK_APP_TOKEN over a real websocket."""

from __future__ import annotations

import asyncio
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

from tests.slack.conftest import BOT_TOKEN
from tests.slack.fakes import APP, FakeSlack

APP_TOKEN = "xapp-1-test-socket-token"


class FakeSocketMode:
    """A websocket endpoint like Slack's: hello, one envelope, then collect the acks."""

    def __init__(self, envelope: dict[str, Any]) -> None:
        self.envelope = envelope
        self.acks: queue.Queue[dict[str, Any]] = queue.Queue()
        self.loop = asyncio.new_event_loop()
        self.port = 0
        started = threading.Event()
        threading.Thread(target=self._run, args=(started,), daemon=True).start()
        started.wait(10)

    def _run(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)

        async def handler(request: web.Request) -> web.WebSocketResponse:
            ws = web.WebSocketResponse()
            await ws.prepare(request)
            await ws.send_str(
                json.dumps(
                    {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"}}
                )
            )
            await asyncio.sleep(0.3)
            await ws.send_str(json.dumps(self.envelope))
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self.acks.put(json.loads(message.data))
            return ws

        app = web.Application()
        app.router.add_get("/link", handler)
        runner = web.AppRunner(app)
        self.loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        started.set()
        self.loop.run_forever()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link"


def test_serve_demo_in_socket_mode_answers_a_slash_command(tmp_path: Path) -> None:
    slack = FakeSlack()
    envelope = {
        "envelope_id": "env-1",
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "command": "/peer-report",
            "text": f"{APP} 79d87ca5-7e47-452a-b3c1-b6842ad84bf5",
            "team_id": "T0001",
            "user_id": "U0USER",
            "channel_id": "C0CHAN",
            "api_app_id": "A0001",
            "response_url": slack.response_url("socket"),
            "trigger_id": "trig-s",
        },
    }
    socket = FakeSocketMode(envelope)
    slack.socket_url = socket.url  # type: ignore[attr-defined]
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": slack.url,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--demo"],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        ack = socket.acks.get(timeout=30)
        assert ack["envelope_id"] == "env-1"
        assert "Fetching" in json.dumps(ack.get("payload", {}))
        cards = slack.wait_for("response_url", 2, timeout=30)
        card = next(c.params for c in cards if c.params.get("response_type") == "in_channel")
        assert "Ada Lovelace" in json.dumps(card)
        opened = slack.calls("apps.connections.open")
        assert opened and opened[0].headers["authorization"] == f"Bearer {APP_TOKEN}"
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
        slack.close()
    assert code == 0, proc.stderr.read() if proc.stderr else b""
