"""Measure 5: importing the bot's app module vs ``import slack_bolt`` alone, fresh processes."""

from __future__ import annotations

import subprocess
import sys
from statistics import median

from benchmarks.common import ROOT, Result

RUNS = 7
PROBE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def import_seconds(module: str) -> float:
    times = []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(module=module)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        times.append(float(out.stdout.strip()))
    return median(times)


def run() -> list[Result]:
    ours = import_seconds("bot.slack.app")
    bolt = import_seconds("slack_bolt")
    async_bolt = import_seconds("slack_bolt.async_app")
    ratio, own = ours / bolt, ours / async_bolt
    return [
        Result(
            "import bot.slack.app ÷ import slack_bolt",
            ratio,
            "×",
            "≤ 1.5",
            ratio <= 1.5,
            f"{ours * 1000:.0f} ms vs {bolt * 1000:.0f} ms; AsyncApp alone (aiohttp) is "
            f"{async_bolt / bolt:.1f}× slack_bolt, median of {RUNS} fresh processes",
        ),
        Result(
            "import bot.slack.app ÷ import slack_bolt.async_app (the bot's own cost)",
            own,
            "×",
            "≤ 1.5",
            own <= 1.5,
            f"{ours * 1000:.0f} ms vs {async_bolt * 1000:.0f} ms",
        ),
    ]
