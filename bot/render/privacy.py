"""Who sees a customer's IP address: masking for everything that may be shared.

IPv4 keeps its first three octets (``203.0.113.x``); IPv6 its first three hextets
(``2001:db8:85a3::x``); anything else that sits in an address field becomes ``(hidden)``.
Country and ASN are kept: they explain a path without identifying a person.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from bot.realtimekit.models import IPInformation, Participant, dump_participant

HIDDEN = "(hidden)"
#: Candidate-pair fields that hold the customer's (or a TURN server's) address.
ADDRESS_FIELDS = ("local_candidate_address", "local_candidate_related_address")
#: ip_information fields that locate a person more precisely than country/ASN.
LOCATING_FIELDS = ("ipv4", "city", "region", "timezone")


def mask_ip(address: str | None) -> str:
    if not address:
        return ""
    text = address.strip()
    try:
        ip = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return HIDDEN
    if isinstance(ip, ipaddress.IPv4Address):
        return ".".join(str(ip).split(".")[:3]) + ".x"
    if ip.ipv4_mapped is not None:
        return "::ffff:" + mask_ip(str(ip.ipv4_mapped))
    # From the integer, not the text: ``exploded`` fails on scoped addresses (``fe80::1%eth0``).
    value = int(ip)
    hextets = (f"{(value >> shift) & 0xFFFF:x}" for shift in (112, 96, 80))
    return ":".join(hextets) + "::x"


def shown_ip(address: str | None, show_ip: bool) -> str:
    """The address as it may be shown here."""
    return (address or "") if show_ip else mask_ip(address)


def mask_location(info: IPInformation | None, show_ip: bool) -> dict[str, str]:
    """What may be shown of ip_information: country and ASN always, the rest only if allowed."""
    if info is None:
        return {}
    out: dict[str, str] = {}
    if info.country:
        out["country"] = info.country
    asn = info.asn
    if asn is not None and (asn.asn or asn.name):
        out["asn"] = " ".join(
            p for p in (asn.asn and f"AS{asn.asn.removeprefix('AS')}", asn.name) if p
        )
    if info.org and info.org not in out.get("asn", ""):
        out["org"] = info.org
    if show_ip:
        for key in LOCATING_FIELDS:
            value = getattr(info, key)
            if value:
                out[key] = value
    elif info.ipv4:
        out["ipv4"] = mask_ip(info.ipv4)
    return out


def masked_report(participant: Participant, show_ip: bool) -> dict[str, Any]:
    """The participant as JSON-ready data, with addresses and city masked unless allowed."""
    return mask_report_data(dump_participant(participant), show_ip)


def mask_report_data(data: dict[str, Any], show_ip: bool) -> dict[str, Any]:
    """A participant's JSON data (parsed or as sent), masked in place unless allowed."""
    if show_ip:
        return data
    metadata = (data.get("peer_report") or {}).get("metadata") or {}
    info = metadata.get("ip_information")
    if isinstance(info, dict):
        if info.get("ipv4"):
            info["ipv4"] = mask_ip(str(info["ipv4"]))
        for key in ("city", "region", "timezone"):
            if info.get(key):
                info[key] = HIDDEN
        asn = info.get("asn")
        if isinstance(asn, dict) and asn.get("route"):
            asn["route"] = HIDDEN
    pairs = metadata.get("candidate_pairs") or {}
    for transport in ("producing_transport", "consuming_transport"):
        for pair in pairs.get(transport) or []:
            for key in ADDRESS_FIELDS:
                if pair.get(key):
                    pair[key] = mask_ip(str(pair[key]))
    for pc in metadata.get("pc_metadata") or []:
        if pc.get("sdp"):
            pc["sdp"] = ["(SDP hidden: it contains IP addresses)"]
    return data
