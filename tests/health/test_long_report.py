"""A 4-hour report (a sample every 5 s on all eight track lists, ~23k samples)."""

from __future__ import annotations

import json
import time

from bot.health import assess
from bot.realtimekit.models import parse_participant
from tests.health.factory import between, const, healthy, samples

MINUTES = 240


def four_hour_report() -> bytes:
    doc = healthy(MINUTES)
    q = doc["peer_report"]["quality"]
    q["audio_producer"] = samples("audio_producer", minutes=MINUTES)
    q["audio_consumer"] = samples("audio_consumer", minutes=MINUTES)
    q["video_producer"] = samples("video_producer", minutes=MINUTES, pps=300)
    # Received video was bad from 15:30 to 15:52 (minutes 90..112) and nowhere else.
    q["video_consumer"] = samples(
        "video_consumer", minutes=MINUTES, loss=between(90, 112, 12.0, 0.2), pps=300
    )
    del q["video_consumer_cumulative"]
    for key in ("screenshare_video_producer", "screenshare_video_consumer"):
        q[key] = samples(key, minutes=MINUTES, fps=const(8.0), width=const(1920.0))
    for key in ("screenshare_audio_producer", "screenshare_audio_consumer"):
        q[key] = samples(key, minutes=MINUTES)
    return json.dumps({"success": True, "data": {"participant": doc}}).encode()


def test_four_hour_report_is_assessed_correctly_and_fast() -> None:
    raw = four_hour_report()
    participant = parse_participant(raw)
    total = sum(
        len(getattr(participant.peer_report.quality, key) or [])
        for key in (  # type: ignore[union-attr]
            "audio_producer",
            "audio_consumer",
            "video_producer",
            "video_consumer",
            "screenshare_video_producer",
            "screenshare_video_consumer",
            "screenshare_audio_producer",
            "screenshare_audio_consumer",
        )
    )
    assert total == 8 * (MINUTES * 12 + 1)

    start = time.perf_counter()
    result = assess(participant)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"assess took {elapsed:.2f}s"

    quality = result.areas["quality"]
    assert quality.status == "fair"  # 22 of 241 minutes at 12 % -> ~1.3 % average
    assert quality.metrics["tracks"] == 8
    # Issue 13: loss is one finding per cause; these samples name no sender, so the received
    # loss cannot be attributed (it was ``quality.video_loss_high``).
    loss = next(f for f in quality.findings if f.code == "quality.received_loss")
    assert loss.message.startswith("Received video lost 1.3% of packets on average")
    assert "above 3% for 22 of 241 minutes, worst stretch 15:30–15:52 UTC" in loss.message
    assert result.overall == "fair"
