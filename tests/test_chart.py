"""The quality chart: a real PNG of the expected size that reflects the report."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from bot.realtimekit.models import parse_participant
from bot.render.chart import DPI, HEIGHT_IN, WIDTH_IN, render_chart_png, series_of
from bot.samples import load_sample_bytes


def decode(png: bytes) -> tuple[int, int]:
    from matplotlib import image

    pixels = image.imread(io.BytesIO(png), format="png")
    return pixels.shape[1], pixels.shape[0]


def test_chart_decodes_with_the_expected_size_and_differs_by_report() -> None:
    healthy = render_chart_png(parse_participant(load_sample_bytes("healthy")))
    lossy = render_chart_png(parse_participant(load_sample_bytes("mobile-loss")))
    assert healthy.startswith(b"\x89PNG") and lossy.startswith(b"\x89PNG")
    assert decode(healthy) == (int(WIDTH_IN * DPI), int(HEIGHT_IN * DPI))
    assert healthy != lossy


def test_series_see_the_loss_window_and_the_reconnects() -> None:
    series, markers = series_of(parse_participant(load_sample_bytes("mobile-loss")))
    received = next(s for s in series if s.track.key == "audio_consumer")
    minutes, losses = received.points("loss")
    bad = [m for m, v in zip(minutes, losses, strict=True) if v > 8]
    assert bad and min(bad) >= 4 and max(bad) <= 18
    assert sum(1 for m in markers if m.kind == "reconnect") >= 3


def test_no_quality_still_draws_a_chart_that_says_so() -> None:
    png = render_chart_png(parse_participant(load_sample_bytes("sparse")))
    assert png.startswith(b"\x89PNG")


def test_cli_writes_the_chart(tmp_path: Path) -> None:
    out = tmp_path / "q.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "show",
            "--demo",
            "--format",
            "json",
            "--chart",
            str(out),
        ],
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"\x89PNG")
