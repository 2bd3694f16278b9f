"""Per-sender received loss and uplink loss read straight from a report."""

from __future__ import annotations

from bot.realtimekit.models import Participant
from bot.triage.evidence import received_by_sender, sends_media, uplink_loss

ME = "0000ffff-0000-4000-8000-000000000001"
A = "0000ffff-0000-4000-8000-00000000000a"
B = "0000ffff-0000-4000-8000-00000000000b"


def sample(peer: str, lost: float, received: float, consumer: str = "c1") -> dict[str, object]:
    return {
        "peer_id": peer,
        "consumer_id": consumer,
        "packets_lost": lost,
        "packets_received": received,
    }


def test_loss_per_sender_from_counter_growth_and_restarts() -> None:
    participant = Participant.model_validate(
        {
            "id": ME,
            "peer_report": {
                "quality": {
                    "audio_consumer": [
                        sample(A, 0, 0),
                        sample(A, 10, 990),  # 10 lost of 1000
                        sample(B, 100, 100, "c2"),
                        sample(B, 200, 900, "c2"),  # 100 lost of 900
                        sample(B, 5, 95, "c2"),  # restart: counts from zero, 5 of 100
                        sample(ME, 999, 1),  # our own ID: ignored
                    ],
                    "video_consumer": [sample(A, 0, 0, "v1"), sample(A, 0, 1000, "v1")],
                    "audio_producer_cumulative": {"packet_loss": {"avg": 0.4}},
                    "video_producer_cumulative": {"packet_loss": {"avg": 2.5}},
                }
            },
        }
    )
    a, b = received_by_sender(participant)
    assert (a.peer_id, a.media, a.packets, a.loss_pct, a.lossy) == (
        A,
        ("audio", "video"),
        2000,
        0.5,
        False,
    )
    assert (b.peer_id, b.packets, b.loss_pct, b.lossy) == (B, 1000, 10.5, True)
    assert uplink_loss(participant) == 2.5
    assert sends_media(participant)


def test_nothing_measured_is_none_not_zero() -> None:
    participant = Participant.model_validate({"id": ME, "peer_report": {}})
    assert received_by_sender(participant) == ()
    assert uplink_loss(participant) is None
    assert not sends_media(participant)
