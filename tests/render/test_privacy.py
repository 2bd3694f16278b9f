from __future__ import annotations

import pytest

from bot.realtimekit.models import IPInformation
from bot.render.privacy import HIDDEN, mask_ip, mask_location, shown_ip


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("203.0.113.45", "203.0.113.x"),
        (" 10.0.0.1 ", "10.0.0.x"),
        ("2001:db8:85a3::8a2e:370:7334", "2001:db8:85a3::x"),
        ("2001:0db8:0000::1", "2001:db8:0::x"),
        ("[2001:db8::1]", "2001:db8:0::x"),
        ("fe80::1%eth0", "fe80:0:0::x"),
        ("::ffff:203.0.113.45", "::ffff:203.0.113.x"),
        ("3f7a1c2e-host.local", HIDDEN),
        ("turn.example.com", HIDDEN),
        ("1.2.3.4:443", HIDDEN),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_ip(address: str | None, masked: str) -> None:
    assert mask_ip(address) == masked


def test_shown_ip() -> None:
    assert shown_ip("203.0.113.45", True) == "203.0.113.45"
    assert shown_ip("203.0.113.45", False) == "203.0.113.x"


def test_mask_location_keeps_country_and_asn_only_unless_allowed() -> None:
    info = IPInformation.model_validate(
        {
            "ipv4": "203.0.113.45",
            "city": "Berlin",
            "region": "Berlin",
            "timezone": "Europe/Berlin",
            "country": "DE",
            "org": "Deutsche Telekom AG",
            "asn": {"asn": "3320", "name": "Deutsche Telekom AG"},
        }
    )
    masked = mask_location(info, show_ip=False)
    assert masked == {"country": "DE", "asn": "AS3320 Deutsche Telekom AG", "ipv4": "203.0.113.x"}
    full = mask_location(info, show_ip=True)
    assert full["city"] == "Berlin" and full["ipv4"] == "203.0.113.45"
    assert mask_location(None, show_ip=True) == {}
