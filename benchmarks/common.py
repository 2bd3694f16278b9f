"""Shared bits: the result line, the 4-hour report, a throwaway redis-server."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Result:
    name: str
    value: float
    unit: str
    target: str
    met: bool
    detail: str = ""

    def line(self) -> str:
        mark = "OK  " if self.met else "MISS"
        shown = f"{self.value:.3g}" if self.unit != "requests" else f"{self.value:.0f}"
        extra = f"  ({self.detail})" if self.detail else ""
        return f"[{mark}] {self.name}: {shown} {self.unit} (target {self.target}){extra}"


@cache
def four_hour_bytes() -> bytes:
    """The 4-hour report (every track kind, a sample every 5 s) as the API would send it."""
    from bot.samples.builder import build_envelope, four_hour_scenario

    return json.dumps(build_envelope(four_hour_scenario(), seed=4)).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def redis_server() -> Iterator[str | None]:
    """A private redis-server on a free loopback port; None when it is not installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = free_port()
    with tempfile.TemporaryDirectory() as workdir:
        proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                workdir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", port), 0.2),
                ):
                    break
                time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            proc.terminate()
            proc.wait(10)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


ROOT = Path(__file__).resolve().parents[1]
