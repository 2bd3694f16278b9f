"""Masking by value: the participant's IP and city never reach a shared payload, wherever the
API puts them (known fields, unknown fields, any depth, inside longer text)."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.health import assess
from bot.realtimekit.models import Participant, ReportParseError, parse_participant
from bot.render.privacy import Masker, mask_shared
from bot.render.sections import (
    SECTIONS,
    render_raw_json,
    render_section_blocks,
    render_section_view,
)
from bot.render.summary import render_summary
from bot.render.unfurl import render_unfurl
from bot.samples import load_sample_bytes
from tests.slack.fakes import APP

IP = "203.0.113.7"
CITY = "Berlin"
SERVER = "198.51.100.20"


def shared_payloads(participant: Participant) -> list[Any]:
    """Everything the bot can send to a shared place for this participant (masked mode)."""
    assessment = assess(participant, app_id=APP)
    out: list[Any] = [
        render_summary(participant, assessment, app_id=APP, show_ip=False),
        render_unfurl(participant, assessment, app_id=APP),
        json.loads(render_raw_json(participant, show_ip=False)),
    ]
    for section in SECTIONS:
        out.append(
            render_section_view(
                participant, section, assessment=assess(participant), app_id=APP, show_ip=False
            )
        )
    out.append(
        render_section_blocks(
            participant, "device", assessment=assess(participant), app_id=APP, show_ip=False
        )
    )
    return out


def text_of(payloads: list[Any]) -> str:
    return json.dumps(payloads, ensure_ascii=False)


def healthy() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(load_sample_bytes("healthy"))
    return data


def parse(data: dict[str, Any]) -> Participant:
    return parse_participant(json.dumps(data).encode())


def parse_or_reject(data: dict[str, Any]) -> Participant:
    """Plants inside a scalar-only map (event metadata) make the report invalid: skip those."""
    try:
        return parse(data)
    except ReportParseError:
        assume(False)
        raise


# --- planting ----------------------------------------------------------------------------------

filler = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10)
steps = st.lists(st.one_of(keys, st.just("[]")), min_size=0, max_size=6)


def _containers(node: Any, out: list[Any]) -> list[Any]:
    if isinstance(node, dict):
        out.append(node)
        for value in node.values():
            _containers(value, out)
    elif isinstance(node, list):
        out.append(node)
        for value in node:
            _containers(value, out)
    return out


def plant(data: dict[str, Any], where: int, path: list[str], value: str, key: str) -> None:
    """Put ``value`` under the ``where``-th container of the report, ``path`` levels deeper."""
    containers = [c for c in _containers(data["data"]["participant"], []) if isinstance(c, dict)]
    target = containers[where % len(containers)]
    nested: Any = value
    for step in reversed(path):
        nested = [nested] if step == "[]" else {step: nested}
    target[f"x_{key}"] = nested


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plants=st.lists(
        st.tuples(st.integers(0, 10_000), steps, filler, filler, keys), min_size=1, max_size=4
    )
)
def test_an_ip_planted_anywhere_never_reaches_a_shared_payload(
    plants: list[tuple[int, list[str], str, str, str]],
) -> None:
    data = healthy()
    for where, path, before, after, key in plants:
        plant(data, where, path, f"{before}{IP}{after}", key)
        plant(data, where + 1, path, f"{before}\n{CITY}, {after}", key + "_place")
    participant = parse_or_reject(data)
    text = text_of(shared_payloads(participant))
    assert IP not in text
    assert CITY not in text
    assert SERVER in json.dumps(json.loads(render_raw_json(participant, show_ip=False)))


@settings(max_examples=20, deadline=None)
@given(
    spelling=st.sampled_from(["compressed", "exploded", "upper", "bracketed", "port", "mapped"]),
    where=st.integers(0, 10_000),
    path=steps,
)
def test_ipv6_in_any_spelling_is_masked(spelling: str, where: int, path: list[str]) -> None:
    address = ipaddress.IPv6Address("2001:db8:85a3::8a2e:370:7334")
    data = healthy()
    pair = data["data"]["participant"]["peer_report"]["metadata"]["candidate_pairs"][
        "producing_transport"
    ][0]
    pair["local_candidate_address"] = str(address)
    written = {
        "compressed": str(address),
        "exploded": address.exploded,
        "upper": str(address).upper(),
        "bracketed": f"[{address}]",
        "port": f"[{address}]:3478",
        "mapped": f"::ffff:{IP}",
    }[spelling]
    plant(data, where, path, f"seen at {written} today", "note")
    participant = parse_or_reject(data)
    text = text_of(shared_payloads(participant)).lower()
    assert str(address) not in text and address.exploded not in text
    assert IP not in text


def test_raw_file_with_unknown_fields_is_masked_and_says_so() -> None:
    data = healthy()
    metadata = data["data"]["participant"]["peer_report"]["metadata"]
    metadata["precall_network_information"] = {
        "public_ip": IP,
        "stun": {"reflexive": f"{IP}:54321", "location": f"{CITY}, DE"},
    }
    metadata["events"].append({"name": "ice", "metadata": {"candidate": f"udp {IP} 5000 typ"}})
    participant = parse(data)
    raw = json.loads(render_raw_json(participant, show_ip=False))
    assert "masked" in raw["_note"]
    text = json.dumps(raw)
    assert IP not in text and CITY not in text
    assert "203.0.113.x" in text
    assert SERVER in text  # the media server's address is kept: it explains the path


def test_full_values_where_allowed() -> None:
    participant = parse(healthy())
    raw = render_raw_json(participant, show_ip=True).decode()
    assert IP in raw and CITY in raw


def test_masker_leaves_server_and_turn_addresses() -> None:
    data = healthy()
    pair = data["data"]["participant"]["peer_report"]["metadata"]["candidate_pairs"][
        "producing_transport"
    ][0]
    pair.update(
        local_candidate_type="relay",
        local_candidate_address="192.0.2.200",
        local_candidate_url="turn:192.0.2.200:3478?transport=udp",
    )
    masker = Masker.of(parse(data))
    assert masker.text("relay 192.0.2.200 media 198.51.100.20") == (
        "relay 192.0.2.200 media 198.51.100.20"
    )
    assert masker.text(f"me {IP}") == "me 203.0.113.x"
    assert mask_shared({"a": [IP]}, parse(data), show_ip=True) == {"a": [IP]}
