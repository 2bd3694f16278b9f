"""The bundled demo sessions, built with :mod:`bot.samples.builder` (deterministic).

``war-room``: eight people on a 12-minute call. Carol's upload is lossy (everyone loses her
media and her own sent stats agree), Dave's download is lossy (he loses everyone's media,
his upload is clean), only the Frank→Grace pair is lossy, Erin's browser was denied the
camera and microphone, and the others are fine.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.samples.builder import START, Scenario, build_envelope, iso

Json = dict[str, Any]

MINUTES = 12
APP_ID = "14a396e7-ca44-4937-bf1f-050a69118543"


@dataclass(frozen=True)
class Person:
    name: str
    peer_id: str
    preset: str = "group_call_participant"
    uplink_loss: float = 0.2
    downlink_loss: float = 0.0
    sends: bool = True
    permission_denied: bool = False


@dataclass(frozen=True)
class SessionScenario:
    name: str
    session_id: str
    title: str
    people: tuple[Person, ...]
    #: (sender peer, receiver peer) -> loss percent on that path alone.
    bad_pairs: tuple[tuple[str, str, float], ...] = ()
    description: str = ""


def _pid(n: int) -> str:
    return f"5e55a0{n:02d}-7a1e-4c0d-9b2e-{n:012x}"


WAR_ROOM = SessionScenario(
    name="war-room",
    session_id="9c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5",
    title="Acme × Globex escalation call",
    description="8 people: Carol's upload, Dave's download, one bad pair, a denied camera",
    people=(
        Person("Ada (host)", _pid(1), preset="group_call_host"),
        Person("Bob", _pid(2)),
        Person("Carol", _pid(3), uplink_loss=7.5),
        Person("Dave", _pid(4), downlink_loss=10.0),
        Person("Erin", _pid(5), sends=False, permission_denied=True),
        Person("Frank", _pid(6)),
        Person("Grace", _pid(7)),
        Person("Heidi", _pid(8)),
    ),
    bad_pairs=((_pid(6), _pid(7), 6.0),),
)

SESSIONS: dict[str, SessionScenario] = {WAR_ROOM.name: WAR_ROOM}


def _scenario(s: SessionScenario, person: Person, **changes: Any) -> Scenario:
    base = Scenario(
        name=f"{s.name}:{person.peer_id}",
        peer_id=person.peer_id,
        session_id=s.session_id,
        display_name=person.name,
        custom_participant_id=f"cust-{person.peer_id[-4:]}",
        duration_s=MINUTES * 60,
        sample_every_s=120,
        loss_pct=person.uplink_loss,
        extra_pairs=0,
    )
    return dataclasses.replace(base, **changes)


def _path_loss(s: SessionScenario, sender: Person, receiver: Person) -> float:
    loss = max(sender.uplink_loss, receiver.downlink_loss, 0.2)
    for a, b, extra in s.bad_pairs:
        if (a, b) == (sender.peer_id, receiver.peer_id):
            loss = max(loss, extra)
    return loss


def _report(s: SessionScenario, person: Person) -> Json:
    own_tracks = ("audio_producer", "video_producer") if person.sends else ()
    envelope = build_envelope(_scenario(s, person, tracks=own_tracks), seed=1)
    participant: Json = envelope["data"]["participant"]
    quality: Json = participant["peer_report"].setdefault("quality", {})
    senders = [p for p in s.people if p.sends and p.peer_id != person.peer_id]
    losses: list[float] = []
    for sender in senders:
        loss = _path_loss(s, sender, person)
        losses.append(loss)
        received = build_envelope(
            _scenario(
                s,
                person,
                name=f"{s.name}:{sender.peer_id}>{person.peer_id}",
                tracks=("audio_consumer", "video_consumer"),
                loss_pct=loss,
            ),
            seed=1,
        )["data"]["participant"]["peer_report"]["quality"]
        for key in ("audio_consumer", "video_consumer"):
            for row in received[key]:
                row["peer_id"] = sender.peer_id
                row["producer_id"] = f"{key.split('_')[0]}-{sender.peer_id[:8]}"
                row["consumer_id"] = f"{key}-{sender.peer_id[:8]}>{person.peer_id[:8]}"
            quality.setdefault(key, []).extend(received[key])
            quality.setdefault(f"{key}_cumulative", received[f"{key}_cumulative"])
    for key in ("audio_consumer", "video_consumer"):
        quality.get(key, []).sort(key=lambda row: str(row["timestamp"]))
    if losses:
        # The cumulative summary describes all received media: the average over senders.
        average = sum(losses) / len(losses)
        summary = build_envelope(
            _scenario(
                s,
                person,
                name=f"{s.name}:{person.peer_id}:all",
                tracks=("audio_consumer", "video_consumer"),
                loss_pct=average,
            ),
            seed=1,
        )["data"]["participant"]["peer_report"]["quality"]
        for key in ("audio_consumer", "video_consumer"):
            quality[f"{key}_cumulative"] = summary[f"{key}_cumulative"]
    if person.permission_denied:
        events: list[Json] = participant["peer_report"]["metadata"].setdefault("events", [])
        for offset, device in ((3, "AUDIO"), (4, "VIDEO")):
            events.append(
                {
                    "name": "media_permission",
                    "timestamp": iso(START + timedelta(seconds=offset)),
                    "metadata": {"deviceType": device, "permission": "SYSTEM_DENIED"},
                }
            )
        events.sort(key=lambda e: str(e["timestamp"]))
    participant["role"] = person.preset
    return envelope


def build_session(s: SessionScenario) -> Json:
    """``{"session": details body, "participants": list body, "reports": {peer: envelope}}``."""
    end = START + timedelta(minutes=MINUTES)
    details = {
        "success": True,
        "data": {
            "session": {
                "id": s.session_id,
                "associated_id": "6bf2b8be-04dd-4191-b602-1128921a306b",
                "meeting_display_name": s.title,
                "status": "ENDED",
                "organization_id": APP_ID,
                "started_at": iso(START),
                "ended_at": iso(end),
                "live_participants": 0,
                "max_concurrent_participants": len(s.people),
                "minutes_consumed": MINUTES * len(s.people),
                "type": "meeting",
            }
        },
    }
    items = [
        {
            "id": p.peer_id,
            "display_name": p.name,
            "custom_participant_id": f"cust-{p.peer_id[-4:]}",
            "preset_name": p.preset,
            "joined_at": iso(START),
            "left_at": iso(end),
            "duration": MINUTES,
        }
        for p in s.people
    ]
    return {
        "session": details,
        "participants": {
            "success": True,
            "data": {"participants": items},
            "paging": {"total_count": len(items), "start_offset": 0, "end_offset": len(items)},
        },
        "reports": {p.peer_id: _report(s, p) for p in s.people},
    }
