"""Blame rules on Assessments built directly (the health engine's per-sender attribution)."""

from __future__ import annotations

from bot.health.model import Area, Assessment, SenderStats
from bot.triage.blame import assign_blame
from bot.triage.model import PeerEvidence

IDS = [f"0000bbbb-0000-4000-8000-{i:012d}" for i in range(10)]


def peer(
    i: int,
    *,
    received: dict[int, float],
    uplink: float | None = 0.2,
    name: str | None = None,
) -> PeerEvidence:
    assessment = Assessment(
        peer_id=IDS[i],
        app_id="app",
        session_id="s",
        display_name=name or f"P{i}",
        overall="good",
        areas={"quality": Area(status="good", summary="fine")},
        received_from=tuple(
            SenderStats(
                peer_id=IDS[s], media=("audio",), loss_pct=loss, packets=1000, lossy=loss >= 3
            )
            for s, loss in received.items()
        ),
        uplink_loss_pct=uplink,
    )
    return PeerEvidence(
        peer_id=IDS[i],
        display_name=name or f"P{i}",
        assessment=assessment,
        received_from=assessment.received_from,
        uplink_loss_pct=assessment.uplink_loss_pct,
        sends_media=True,
    )


def call(
    n: int,
    loss: dict[tuple[int, int], float],
    uplinks: dict[int, float | None] | None = None,
) -> list[PeerEvidence]:
    uplinks = uplinks or {}
    return [
        peer(
            r,
            received={s: loss.get((s, r), 0.3) for s in range(n) if s != r},
            uplink=uplinks.get(r, 0.2),
            name="Carol" if r == 2 else None,
        )
        for r in range(n)
    ]


def test_all_healthy_blames_nobody() -> None:
    assert assign_blame(call(5, {})) == ()


def test_lossy_sender_whose_sent_stats_agree_is_uplink() -> None:
    loss = {(2, r): 6.0 + r for r in range(5) if r != 2}
    (blame,) = assign_blame(call(5, loss, {2: 7.0}))
    assert (blame.peer_id, blame.direction, blame.affected, blame.of) == (IDS[2], "uplink", 4, 4)
    assert blame.evidence.startswith("Carol's upload: 4 of 4 receivers lost 6–10 % of their audio")
    assert "own sent stats agree (7 % loss" in blame.evidence


def test_lossy_sender_whose_sent_stats_are_clean_is_not_uplink() -> None:
    loss = {(2, r): 6.0 for r in range(5) if r != 2}
    assert all(b.direction != "uplink" for b in assign_blame(call(5, loss, {2: 0.1})))


def test_receiver_losing_every_sender_with_a_clean_uplink_is_downlink() -> None:
    loss = {(s, 3): 9.0 for s in range(5) if s != 3}
    (blame,) = assign_blame(call(5, loss))
    assert (blame.peer_id, blame.direction, blame.affected, blame.of) == (IDS[3], "downlink", 4, 4)
    assert "4 of 4 senders arrived lossy (9 %)" in blame.evidence


def test_receiver_with_a_lossy_uplink_is_not_downlink() -> None:
    loss = {(s, 3): 9.0 for s in range(5) if s != 3}
    assert all(b.direction != "downlink" for b in assign_blame(call(5, loss, {3: 5.0})))


def test_one_bad_pair_is_path() -> None:
    (blame,) = assign_blame(call(5, {(1, 4): 8.0}))
    assert (blame.peer_id, blame.direction, blame.affected, blame.of) == (IDS[4], "path", 1, 1)
    assert "only P4 lost P1's audio (8 %)" in blame.evidence


def test_sender_and_receiver_and_pair_together() -> None:
    loss: dict[tuple[int, int], float] = {(2, r): 7.0 for r in range(6) if r != 2}
    loss.update({(s, 3): 10.0 for s in range(6) if s != 3})
    loss[(5, 4)] = 6.0
    blames = assign_blame(call(6, loss, {2: 7.5}))
    assert [(b.direction, b.peer_id) for b in blames] == [
        ("uplink", IDS[2]),
        ("downlink", IDS[3]),
        ("path", IDS[4]),
    ]
    uplink = blames[0]
    assert (uplink.affected, uplink.of) == (5, 5)


def test_minority_loss_is_not_uplink() -> None:
    loss = {(2, 0): 6.0, (2, 1): 6.0}
    blames = assign_blame(call(6, loss, {2: 5.0}))
    assert all(b.direction != "uplink" for b in blames)


def test_every_direction_has_a_next_step_naming_who_acts() -> None:
    from bot.triage.blame import next_step

    loss: dict[tuple[int, int], float] = {(2, r): 7.0 for r in range(6) if r != 2}
    loss.update({(s, 3): 10.0 for s in range(6) if s != 3})
    loss[(5, 4)] = 6.0
    steps = [next_step(b) for b in assign_blame(call(6, loss, {2: 7.5}))]
    assert steps[0].startswith("Ask Carol to fix their upload")
    assert steps[1].startswith("P3's download is the problem")
    assert "have P4 switch network" in steps[2]
