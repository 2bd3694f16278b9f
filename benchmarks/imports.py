"""Measure 5: importing the bot's app module vs ``import slack_bolt`` alone, fresh processes."""

from __future__ import annotations

import os
import subprocess
import sys
from statistics import median

from benchmarks.common import ROOT, Result

RUNS = 7
#: CPU time of the import (a shared, busy machine disturbs it far less than wall-clock time).
PROBE = "import time; t = time.process_time(); import {module}; print(time.process_time() - t)"


#: As deployed: bytecode cached (a warm-up run writes it even if the caller disabled that).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def import_seconds(module: str) -> float:
    times = []
    for run in range(RUNS + 1):
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(module=module)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env=ENV,
        )
        if run:  # the first run only warms the bytecode cache
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
            "import bot.slack.app − import slack_bolt.async_app (the bot's own import cost)",
            (ours - async_bolt) * 1000,
            "ms",
            "< 50 ms",
            (ours - async_bolt) * 1000 < 50,
            "pydantic, pydantic-settings and Jinja load on first use, not at import",
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
