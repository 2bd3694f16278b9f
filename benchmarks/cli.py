"""Measures of what a user runs: the installed CLI on the 4-hour report, fresh processes.

``peer-report show --file BIG --format blocks`` (fastest of five by CPU time, user + system,
which a busy machine disturbs far less than wall-clock time, also shown; minus the same command
on a tiny report, so interpreter start-up and imports cancel out) against ``json.loads`` of the same
bytes in a fresh process (minus the same on the tiny report), and the CLI's peak RSS on the big
report (``resource.getrusage(RUSAGE_CHILDREN)`` after it exits, in a wrapper process so that
only the CLI counts).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import ROOT, Result, four_hour_bytes

RUNS = 5
CLI_GOAL, CLI_STRETCH, RSS_GOAL_MB = 2.0, 1.5, 150.0

JSON_LOADS = "import json, sys; json.loads(open(sys.argv[1], 'rb').read())"

#: As deployed: bytecode cached (the first run writes it even if the caller disabled that).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def cli_path() -> Path:
    """The installed console script next to this interpreter (``.venv/bin/peer-report``)."""
    return Path(sys.executable).with_name("peer-report")


@dataclass(frozen=True)
class Timing:
    cpu: float  # user + system seconds of the child
    wall: float

    def __sub__(self, other: Timing) -> Timing:
        return Timing(self.cpu - other.cpu, self.wall - other.wall)


def fastest(argv: Sequence[str]) -> Timing:
    """Fastest of RUNS fresh processes, by CPU time (steady on a shared machine) and wall."""
    cpu = wall = float("inf")
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, cwd=ROOT, env=ENV)
        wall = min(wall, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        cpu = min(cpu, used)
    return Timing(cpu, wall)


def tiny_bytes() -> bytes:
    from bot.samples import load_sample_bytes

    return load_sample_bytes("sparse")


def peak_rss_mb(argv: Sequence[str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, *argv],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=ENV,
    )
    return int(out.stdout.strip()) / 1024


def run() -> list[Result]:
    cli = cli_path()
    if not cli.exists():
        return [Result("installed CLI", 0, "", "present", False, f"{cli} not found")]
    with tempfile.TemporaryDirectory() as tmp:
        big, tiny = Path(tmp, "big.json"), Path(tmp, "tiny.json")
        raw = four_hour_bytes()
        big.write_bytes(raw)
        tiny.write_bytes(tiny_bytes())

        def show(path: Path) -> list[str]:
            return [str(cli), "show", "--file", str(path), "--format", "blocks"]

        subprocess.run(show(tiny), stdout=subprocess.DEVNULL, check=True, env=ENV)  # bytecode
        ours = fastest(show(big)) - fastest(show(tiny))
        loads = fastest([sys.executable, "-c", JSON_LOADS, str(big)]) - fastest(
            [sys.executable, "-c", JSON_LOADS, str(tiny)]
        )
        ratio = ours.cpu / loads.cpu
        peak = peak_rss_mb(show(big))
        parsed = json.loads(subprocess.run(show(big), capture_output=True, check=True).stdout)
    size_mb = len(raw) / 1e6
    return [
        Result(
            "installed CLI `show --file BIG --format blocks` ÷ json.loads (fresh processes)",
            ratio,
            "×",
            f"≤ {CLI_GOAL:g}, stretch {CLI_STRETCH:g}",
            ratio <= CLI_GOAL,
            f"{size_mb:.1f} MB; CPU time: CLI {ours.cpu * 1000:.0f} ms, json.loads "
            f"{loads.cpu * 1000:.0f} ms; wall clock {ours.wall / loads.wall:.2g}× "
            f"({ours.wall * 1000:.0f} vs {loads.wall * 1000:.0f} ms); each the fastest of {RUNS} "
            f"minus the same on a tiny report; {len(parsed['blocks'])} blocks",
        ),
        Result(
            "installed CLI peak RSS on the 4-hour report",
            peak,
            "MB",
            f"< {RSS_GOAL_MB:g} MB",
            peak < RSS_GOAL_MB,
            "whole process incl. interpreter and imports (getrusage of the child)",
        ),
    ]


if __name__ == "__main__":
    for result in run():
        print(result.line())
