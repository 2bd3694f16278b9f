"""``python -m bot.samples.regenerate``: rewrite the bundled sample files from the scenarios."""

from __future__ import annotations

import json
from pathlib import Path

from bot.samples.builder import build_envelope
from bot.samples.scenarios import SCENARIOS

HERE = Path(__file__).resolve().parent


def render(name: str) -> str:
    scenario, _ = SCENARIOS[name]
    return json.dumps(build_envelope(scenario, seed=1), indent=1, ensure_ascii=False) + "\n"


def main() -> None:
    for name in SCENARIOS:
        (HERE / f"{name}.json").write_text(render(name), encoding="utf-8")
        print(f"wrote {name}.json")


if __name__ == "__main__":
    main()
