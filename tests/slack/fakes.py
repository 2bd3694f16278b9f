"""Loopback stand-ins for Slack's Web API (and response_urls) and for Cloudflare's API.

Both are real HTTP servers on 127.0.0.1 that the real slack_sdk/Bolt and the real httpx client
talk to. They record every request and can be told to fail.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

APP = "14a396e7-ca44-4937-bf1f-050a69118543"
ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    body: bytes = b""
    at: float = field(default_factory=time.monotonic)


def _parse(body: bytes, content_type: str) -> dict[str, Any]:
    if not body:
        return {}
    if "json" in content_type:
        try:
            data = json.loads(body)
            return data if isinstance(data, dict) else {"_": data}
        except ValueError:
            return {}
    if "multipart" in content_type:
        return {}
    parsed = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    for key in ("blocks", "view", "unfurls", "attachments", "files"):
        if isinstance(parsed.get(key), str):
            with contextlib.suppress(ValueError):
                parsed[key] = json.loads(parsed[key])
    return parsed


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Recorder:
    """Thread-safe record of calls, with waiting."""

    def __init__(self) -> None:
        self._calls: list[Call] = []
        self._cond = threading.Condition()

    def add(self, call: Call) -> None:
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()

    def calls(self, method: str | None = None) -> list[Call]:
        with self._cond:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self._calls if c.method == method]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = sorted({c.method for c in self._calls})
                    raise AssertionError(f"expected {count} {method} call(s); saw {seen}")
                self._cond.wait(remaining)

    def clear(self) -> None:
        with self._cond:
            self._calls.clear()


class FakeSlack(Recorder):
    """Slack's Web API at ``{url}{method}`` and response URLs at ``{base}/response/{name}``."""

    def __init__(self) -> None:
        super().__init__()
        self._failures: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {}
        self._lock = threading.Lock()
        self._ts = 1700000000.0
        #: ``users.info`` answers by user ID (merged over the default member of T0001).
        self.users: dict[str, dict[str, Any]] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                url = urlparse(self.path)
                path = url.path
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                params.update(_parse(body, self.headers.get("Content-Type", "")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                if path.startswith("/response/"):
                    method = "response_url"
                elif path.startswith("/upload/"):
                    method = "upload"
                else:
                    method = path.rsplit("/", 1)[-1]
                fake.add(Call(method, params, headers, body))
                status, payload, extra = fake._answer(method, params)
                raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header(
                    "Content-Type",
                    "text/plain" if method in ("response_url", "upload") else "application/json",
                )
                for key, value in extra.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = f"{self.base}/api/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base}/response/{name}"

    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        body: dict[str, Any] = {"ok": False, "error": error}
        with self._lock:
            self._failures.setdefault(method, []).extend([(status, body, headers or {})] * times)

    def _next_ts(self) -> str:
        with self._lock:
            self._ts += 1
            return f"{self._ts:.6f}"

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        with self._lock:
            queue = self._failures.get(method)
            if queue:
                status, body, headers = queue.pop(0)
                if method == "response_url":
                    return (status if status != 200 else 404), b"expired_url", headers
                return status, body, headers
        if method == "response_url":
            return 200, b"ok", {}
        channel = params.get("channel") or "C0CHAN"
        if method == "auth.test":
            return (
                200,
                {
                    "ok": True,
                    "team_id": "T0001",
                    "user_id": "U0BOT",
                    "bot_id": "B0001",
                    "team": "Acme",
                    "url": "https://acme.slack.com/",
                },
                {},
            )
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            ts = params.get("ts") or self._next_ts()
            body: dict[str, Any] = {
                "ok": True,
                "channel": channel,
                "ts": ts,
                "message_ts": ts,
                "message": {"text": params.get("text"), "ts": ts},
            }
            return 200, body, {}
        if method.startswith("views."):
            view = params.get("view") or {}
            view_id = params.get("view_id") or f"V{len(self.calls()):04d}"
            return (
                200,
                {
                    "ok": True,
                    "view": {
                        **(view if isinstance(view, dict) else {}),
                        "id": view_id,
                        "hash": "h1",
                    },
                },
                {},
            )
        if method == "apps.connections.open":
            url = getattr(self, "socket_url", None)
            if url is None:
                return 200, {"ok": False, "error": "not_allowed_token_type"}, {}
            return 200, {"ok": True, "url": url}, {}
        if method == "users.info":
            user = str(params.get("user") or "")
            member = {"id": user, "team_id": "T0001", "is_admin": user.startswith("U0ADMIN")}
            member.update(self.users.get(user, {}))
            return 200, {"ok": True, "user": member}, {}
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self.calls()):04d}"
            return (
                200,
                {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id},
                {},
            )
        if method == "upload":
            return 200, b"OK - 123", {}
        if method == "files.completeUploadExternal":
            files = params.get("files") or [{"id": "F0"}]
            return 200, {"ok": True, "files": files}, {}
        return 200, {"ok": True}, {}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeCloudflare(Recorder):
    """``GET …/accounts/{account}/realtime/kit/{app}/sessions/peer-report/{peer}``."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.reports: dict[str, bytes] = {}
        self.delay = 0.0
        self._failures: list[tuple[int, bytes, dict[str, str]]] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                url = urlparse(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.add(Call("peer-report", {"path": url.path, **query}, headers))
                if fake.delay:
                    time.sleep(fake.delay)
                status, body, extra = fake._answer(url.path, headers)
                if status == -1:  # drop the connection
                    self.connection.close()
                    return
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for key, value in extra.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/client/v4"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def add_report(self, peer_id: str, body: bytes) -> None:
        self.reports[peer_id.lower()] = body

    def fail_next(
        self,
        status: int,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body or {}).encode()
        with self._lock:
            self._failures.extend([(status, raw, headers or {})] * times)

    def _answer(self, path: str, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        with self._lock:
            if self._failures:
                return self._failures.pop(0)
        if headers.get("authorization") != f"Bearer {self.token}":
            body = {
                "success": False,
                "errors": [{"code": 10000, "message": "Authentication error"}],
                "messages": [],
                "result": None,
            }
            return 401, json.dumps(body).encode(), {}
        peer = path.rstrip("/").rsplit("/", 1)[-1].lower()
        if peer in self.reports:
            return 200, self.reports[peer], {}
        body = {
            "success": False,
            "error": {"code": 404, "message": f"No user found with id {peer}"},
        }
        return 404, json.dumps(body).encode(), {}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def iter_texts(node: Any) -> Iterator[str]:
    """Every string in a payload (for "nothing unescaped leaked" assertions)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from iter_texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from iter_texts(value)


def mrkdwn_texts(node: Any) -> Iterator[str]:
    """Every mrkdwn text object's text (plain_text never pings or links, so it is skipped)."""
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            yield node["text"]
        for value in node.values():
            yield from mrkdwn_texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from mrkdwn_texts(value)
