"""7. A 100 MB answer from Cloudflare: peak and remaining RSS of the process that refused it.

A loopback server sends a 100 MB body (once with ``Content-Length``, once close-delimited so
the client has to stream it); the real :class:`RealtimeKitClient` with the default 64 MB cap
answers :class:`ReportTooLargeError`. Measured in a fresh process so RSS is this work only.
"""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks.common import Result

SIZE = 100 * 1024 * 1024

_CHILD = r"""
import asyncio, gc, json, resource, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pydantic import SecretStr
from bot.realtimekit.client import RealtimeKitClient
from bot.realtimekit.errors import ReportTooLargeError

SIZE = int(sys.argv[1])
CHUNK = b'{"success": true, "data": {"participant": {"pad": "' + b"x" * (1024 * 1024)

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    def log_message(self, *a): pass
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if "declared" in self.path:
            self.send_header("Content-Length", str(SIZE))
        self.end_headers()
        try:
            for _ in range(SIZE // len(CHUNK)):
                self.wfile.write(CHUNK)
        except OSError:
            pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()

def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1e6

async def main():
    out = {"before_mb": rss_mb()}
    for kind in ("declared", "streamed"):
        url = f"http://127.0.0.1:{server.server_address[1]}/{kind}"
        client = RealtimeKitClient(account_id="023e105f4ecef8ad9ca31a8372d0c353",
                                   api_token=SecretStr("t"), base_url=url)
        try:
            await client.get_peer_report("14a396e7-ca44-4937-bf1f-050a69118543",
                                         "79d87ca5-7e47-452a-b3c1-b6842ad84bf5")
            out[kind] = "accepted"
        except ReportTooLargeError:
            out[kind] = "refused"
        await client.aclose()
    gc.collect()
    out["after_mb"] = rss_mb()
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))

asyncio.run(main())
"""


def run() -> list[Result]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(SIZE)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        out = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return [Result("100 MB answer", float("nan"), "MB", "< 200 MB", False, detail)]
    refused = out["declared"] == "refused" and out["streamed"] == "refused"
    detail = f"declared: {out['declared']}, streamed: {out['streamed']}"
    return [
        Result(
            "100 MB answer: peak RSS",
            out["peak_mb"],
            "MB",
            "< 200 MB",
            out["peak_mb"] < 200,
            detail,
        ),
        Result(
            "100 MB answer: RSS after refusal",
            out["after_mb"],
            "MB",
            "< 120 MB",
            out["after_mb"] < 120 and refused,
            f"before {out['before_mb']:.0f} MB",
        ),
    ]


if __name__ == "__main__":
    for result in run():
        print(result.line())
