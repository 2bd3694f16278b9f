"""``python -m bot.samples.sessions.regenerate``: rewrite the bundled demo sessions."""

from __future__ import annotations

import json
from pathlib import Path

from bot.samples.sessions.scenarios import SESSIONS, build_session

HERE = Path(__file__).resolve().parent


def render(name: str) -> str:
    return json.dumps(build_session(SESSIONS[name]), separators=(",", ":")) + "\n"


def main() -> None:
    for name in SESSIONS:
        (HERE / f"{name}.json").write_text(render(name), encoding="utf-8")
        print(f"wrote {name}.json")


if __name__ == "__main__":
    main()
