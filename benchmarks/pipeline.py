"""Measures 1 and 2: parse + assess + render of a 4-hour report, and peak RSS doing it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from statistics import median

from benchmarks.common import ROOT, Result, four_hour_bytes

RUNS = 5

CHILD = """
import resource, sys, json
from bot.realtimekit.models import parse_participant
from bot.health import assess
from bot.render.summary import render_summary
raw = sys.stdin.buffer.read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
participant = parse_participant(raw)
assessment = assess(participant, app_id="14a396e7-ca44-4937-bf1f-050a69118543")
payload = render_summary(participant, assessment, app_id="14a396e7-ca44-4937-bf1f-050a69118543")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"peak_kb": after, "before_kb": before, "blocks": len(payload["blocks"])}))
"""


def handle(raw: bytes) -> None:
    from bot.health import assess
    from bot.realtimekit.models import parse_participant
    from bot.render.summary import render_summary

    participant = parse_participant(raw)
    assessment = assess(participant, app_id="14a396e7-ca44-4937-bf1f-050a69118543")
    render_summary(participant, assessment, app_id="14a396e7-ca44-4937-bf1f-050a69118543")


def timed(fn: object, raw: bytes) -> float:
    start = time.perf_counter()
    fn(raw)  # type: ignore[operator]
    return time.perf_counter() - start


def run() -> list[Result]:
    raw = four_hour_bytes()
    handle(raw)  # warm imports and caches once
    ours = median(timed(handle, raw) for _ in range(RUNS))
    baseline = median(timed(json.loads, raw) for _ in range(RUNS))
    ratio = ours / baseline
    child = subprocess.run(
        [sys.executable, "-c", CHILD], input=raw, capture_output=True, check=True, cwd=ROOT
    )
    peak = json.loads(child.stdout)["peak_kb"] / 1024
    size_mb = len(raw) / 1e6
    return [
        Result(
            "4-hour report: parse+assess+render ÷ json.loads",
            ratio,
            "×",
            "≤ 3",
            ratio <= 3,
            f"{size_mb:.1f} MB; ours {ours * 1000:.0f} ms, json.loads {baseline * 1000:.0f} ms",
        ),
        Result(
            "peak RSS handling the 4-hour report",
            peak,
            "MB",
            "< 200 MB",
            peak < 200,
            "whole process incl. interpreter and imports",
        ),
    ]
