"""What every `peer-report show --file` run must give, whatever the report holds.

Shared by the named robustness cases and the schema property tests: run the CLI (in-process
through ``main()`` for speed, or as the installed console script), and check the contract shape
of each format and section.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot.cli import main
from bot.render.limits import MAX_MESSAGE_TEXT_TOTAL, message_text_length
from bot.samples import load_sample_bytes
from tests._vendor import blockkit_check
from tests.test_cli import assert_contract

FORMATS = ("text", "json", "blocks")
SECTIONS = ("events", "pairs", "quality", "device", "raw")
#: Every way to show a report: the summary (``None``) and each drill-down.
VIEWS: tuple[str | None, ...] = (None, *SECTIONS)
#: No printed number is wider than this many digits (IDs and dates have at most 12).
MAX_DIGITS = 16
CONSOLE = Path(sys.executable).with_name("peer-report")


def base_report(sample: str = "healthy", keep: int = 6) -> dict[str, Any]:
    """A real sample envelope with each sample list cut to ``keep`` rows (fast to run)."""
    doc: dict[str, Any] = json.loads(load_sample_bytes(sample))
    quality = doc["data"]["participant"]["peer_report"]["quality"]
    for key, value in quality.items():
        if isinstance(value, list):
            quality[key] = value[:keep]
    return doc


def participant_of(doc: dict[str, Any]) -> dict[str, Any]:
    inner: dict[str, Any] = doc["data"]["participant"]
    return inner


def args_for(path: Path, fmt: str, section: str | None) -> list[str]:
    args = ["show", "--file", str(path), "--format", fmt, "--color", "never"]
    return [*args, "--section", section] if section else args


def run_main(args: list[str]) -> tuple[int, str, str]:
    """The CLI in-process: exit code, stdout, stderr (a traceback propagates and fails)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def run_console(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed ``peer-report`` console script, as a user runs it."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "CLOUDFLARE_", "REALTIMEKIT_", "PEER_REPORT_"))
    }
    return subprocess.run(
        [str(CONSOLE), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def strict_json(text: str) -> Any:
    """JSON as the standard defines it: ``NaN``/``Infinity`` are refused."""

    def refuse(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def assert_payload(payload: dict[str, Any]) -> None:
    """A Block Kit message that Slack accepts and that stays within our text budget."""
    assert blockkit_check.check(payload, forbid_broadcast=True) == []
    assert message_text_length(payload) <= MAX_MESSAGE_TEXT_TOTAL


def assert_narrow_numbers(text: str) -> None:
    widest = max((len(m) for m in re.findall(r"\d+", text)), default=0)
    assert widest <= MAX_DIGITS, f"a {widest}-digit number was printed"


def assert_view(fmt: str, section: str | None, out: str) -> Any:
    """The contract of one format/section; returns the parsed document when there is one."""
    assert out.strip(), "nothing printed"
    if section == "raw" and fmt != "blocks":
        return strict_json(out)
    assert_narrow_numbers(out)
    if fmt == "blocks":
        payload = strict_json(out)
        assert_payload(payload)
        return payload
    if fmt == "json" and section is None:
        doc = strict_json(out)
        assert_contract(doc)
        return doc
    assert "\x1b" not in out  # --color never: no terminal escapes, from us or from the report
    return out


def assert_every_view(path: Path) -> dict[tuple[str, str | None], Any]:
    """Every format × view of the file exits 0 with the contract shape (in-process)."""
    seen: dict[tuple[str, str | None], Any] = {}
    for fmt in FORMATS:
        for section in VIEWS:
            code, out, err = run_main(args_for(path, fmt, section))
            assert code == 0, (fmt, section, err)
            seen[(fmt, section)] = assert_view(fmt, section, out)
    return seen


def write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path
