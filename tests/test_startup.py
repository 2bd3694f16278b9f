"""Start-up stays light: importing the Slack app loads no pydantic, settings or templates."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("pydantic", "pydantic_settings", "pydantic_core", "jinja2")


def test_importing_the_slack_app_defers_the_heavy_libraries() -> None:
    probe = (
        "import json, sys; import bot.slack.app; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    loaded = set(json.loads(out.stdout))
    assert "slack_bolt" in loaded and "bot" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
