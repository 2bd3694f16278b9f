"""``make bench``: every measure as a ratio (or count) measured in this one run.

1. 4-hour report: parse+assess+render time ÷ ``json.loads`` of the same bytes   (target ≤ 3)
2. peak RSS while handling that report                                           (target < 200 MB)
3. 100 concurrent identical lookups → upstream requests, memory and Redis (target 1)
4. ack latency, 50 signed slash commands in flight, upstream taking 1 s (p50 < 20, p99 < 100 ms)
5. import time of the bot's app module ÷ ``import slack_bolt``, fresh processes  (target ≤ 1.5)
6. whole-call triage, 60 participants, 300 ms per report: wall ≤ 4 s, in flight ≤ 8, 1 request
   per participant, peak RSS
7. the installed CLI on the 4-hour report ÷ ``json.loads`` of its bytes, fresh processes,
   start-up subtracted (target ≤ 2), and its peak RSS (target < 150 MB)

Benchmarks are not tests: nothing here asserts; each line says whether its target was met.
"""

from __future__ import annotations

import sys

from benchmarks import acks, cli, imports, pipeline, session, singleflight


def main() -> int:
    print("peer-report benchmarks (one run; ratios so a noisy machine matters less)")
    results = [
        *pipeline.run(),
        *singleflight.run(),
        *acks.run(),
        *imports.run(),
        *session.run(),
        *cli.run(),
    ]
    met = sum(1 for r in results if r.met)
    for result in results:
        print(result.line())
    print(f"{met}/{len(results)} targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
