"""The whole-call view names people: peer IDs in a participant's headline become names."""

from __future__ import annotations

import pytest

from bot.cli import main

CAROL = "5e55a003-7a1e-4c0d-9b2e-000000000003"


def test_headlines_name_the_sender_instead_of_its_peer_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["session", "--demo"]) == 0
    out = capsys.readouterr().out
    ada = next(line for line in out.splitlines() if "Ada (host)" in line)
    assert "Received media from Carol" in ada
    assert CAROL not in ada.split(" — ", 1)[1]
