"""A non-editable install works: templates and samples ship inside the wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_runs_the_demo_outside_the_source_tree(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("peer_report-*.whl")
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert (site / "bot" / "templates" / "summary.json.j2").is_file()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CLOUDFLARE_"))}
    env["PYTHONPATH"] = str(site)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    probe = subprocess.run(
        [sys.executable, "-c", "import bot; print(bot.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
        check=True,
    )
    assert probe.stdout.startswith(str(site)), "the wheel, not the checkout, must be imported"
    for fmt in ("json", "blocks", "text"):
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli", "show", "--demo", "--format", fmt],
            capture_output=True,
            env=env,
            cwd=workdir,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    payload = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bot.cli", "show", "--demo", "--format", "blocks"],
            capture_output=True,
            env=env,
            cwd=workdir,
            timeout=60,
            check=True,
        ).stdout
    )
    assert payload["blocks"]
