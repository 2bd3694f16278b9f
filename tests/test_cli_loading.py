"""How the CLI loads a saved report: no event loop for --file/--demo, raw bytes only when shown."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.samples import DEFAULT_SAMPLE, load_sample_bytes


def test_file_and_demo_run_without_an_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_loop(*_: object, **__: object) -> None:
        raise AssertionError("asyncio.run called for a local report")

    monkeypatch.setattr(asyncio, "run", no_loop)
    saved = tmp_path / "report.json"
    saved.write_bytes(load_sample_bytes(DEFAULT_SAMPLE))
    assert main(["show", "--file", str(saved), "--format", "json"]) == 0
    from_file = json.loads(capsys.readouterr().out)
    assert main(["show", "--demo", DEFAULT_SAMPLE, "--format", "json"]) == 0
    from_demo = json.loads(capsys.readouterr().out)
    assert from_file["peer_id"] == from_demo["peer_id"] and from_file["overall"]


def test_raw_view_of_a_saved_file_reports_the_bytes_as_saved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Indented on purpose: the size shown must be the file's, not a re-serialisation's.
    document = json.loads(load_sample_bytes(DEFAULT_SAMPLE))
    saved = tmp_path / "report.json"
    saved.write_text(json.dumps(document, indent=8))
    size = saved.stat().st_size
    shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"
    compact = len(json.dumps(document, indent=2))
    assert f"{compact / 1e6:.1f} MB" != shown and f"{compact / 1e3:.1f} kB" != shown
    args = ["show", "--file", str(saved), "--section", "raw", "--format", "blocks"]
    assert main(args) == 0
    assert f"({shown})" in capsys.readouterr().out
