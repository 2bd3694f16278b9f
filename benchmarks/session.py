"""Measure 6: whole-call triage of a 60-participant session, Cloudflare answering in 300 ms.

Run in a fresh process (so peak RSS is this triage's, not the other benchmarks'): wall time
(goal ≤ 4 s, i.e. parallelism ≥ 6 with the default concurrency of 8), the most requests in
flight at once (≤ the limit), upstream report requests per participant (1) and peak RSS.
"""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks.common import ROOT, Result

PARTICIPANTS = 60
SENDERS = 12
LATENCY = 0.3
CONCURRENCY = 8

CHILD = """
import asyncio, json, resource, time
import httpx
from pydantic import SecretStr
from bot.cache import MemoryReportCache
from bot.realtimekit.client import RealtimeKitClient
from bot.samples.sessions.scenarios import Person, SessionScenario, build_session
from bot.service import LiveSource
from bot.triage.session import triage_session

N, SENDERS, LATENCY, CONCURRENCY = {n}, {senders}, {latency}, {concurrency}
ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
APP = "14a396e7-ca44-4937-bf1f-050a69118543"
people = tuple(
    Person(f"P{{i}}", f"0000eeee-0000-4000-8000-{{i:012d}}", sends=i < SENDERS,
           uplink_loss=8.0 if i == 3 else 0.2, downlink_loss=9.0 if i == 40 else 0.0)
    for i in range(N)
)
call = SessionScenario("bench", "0000ffff-0000-4000-8000-000000000001", "Bench call", people)
data = build_session(call)
bodies = {{k: json.dumps(v).encode() for k, v in data["reports"].items()}}
del data["reports"]
state = {{"in_flight": 0, "max": 0, "reports": 0, "other": 0}}

async def handler(request):
    state["in_flight"] += 1
    state["max"] = max(state["max"], state["in_flight"])
    try:
        await asyncio.sleep(LATENCY)
        path = request.url.path
        if "/peer-report/" in path:
            state["reports"] += 1
            return httpx.Response(200, content=bodies[path.rsplit("/", 1)[-1]])
        state["other"] += 1
        if path.endswith("/participants"):
            return httpx.Response(200, json=data["participants"])
        return httpx.Response(200, json=data["session"])
    finally:
        state["in_flight"] -= 1

async def main():
    client = RealtimeKitClient(account_id=ACCOUNT, api_token=SecretStr("bench"),
        base_url="https://api.invalid/client/v4",
        http=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
    source = LiveSource(client, MemoryReportCache(ttl=60))
    async def fetch(app, peer):
        return await source.fetch(app, peer, include_peer_events=True)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    triage = await triage_session(client, fetch, APP, call.session_id,
        concurrency=CONCURRENCY, gate=client.rate_gate)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    await source.aclose()
    print(json.dumps({{"wall": wall, "max": state["max"], "reports": state["reports"],
        "other": state["other"], "participants": len(triage.participants),
        "blame": [b.direction for b in triage.blame], "peak_kb": peak, "before_kb": before,
        "bytes": sum(len(b) for b in bodies.values())}}))

asyncio.run(main())
"""


def run() -> list[Result]:
    code = CHILD.format(n=PARTICIPANTS, senders=SENDERS, latency=LATENCY, concurrency=CONCURRENCY)
    child = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, check=True, cwd=ROOT, timeout=300
    )
    out = json.loads(child.stdout)
    wall = float(out["wall"])
    serial = (PARTICIPANTS + 2) * LATENCY
    parallelism = serial / wall
    per_peer = out["reports"] / PARTICIPANTS
    peak = out["peak_kb"] / 1024
    return [
        Result(
            f"session triage, {PARTICIPANTS} participants, {LATENCY * 1000:.0f} ms per report",
            wall,
            "s",
            "≤ 4 s",
            wall <= 4,
            f"parallelism {parallelism:.1f} (serial {serial:.1f} s); blame {out['blame']}",
        ),
        Result(
            "session triage: most requests in flight",
            out["max"],
            "requests",
            f"≤ {CONCURRENCY}",
            out["max"] <= CONCURRENCY,
        ),
        Result(
            "session triage: upstream report requests per participant",
            per_peer,
            "×",
            "1",
            per_peer == 1,
            f"{out['reports']} report + {out['other']} session/participant requests",
        ),
        Result(
            "session triage: peak RSS",
            peak,
            "MB",
            "< 200 MB",
            peak < 200,
            f"whole process; {out['bytes'] / 1e6:.1f} MB of reports served",
        ),
    ]


if __name__ == "__main__":
    for result in run():
        print(result.line())
