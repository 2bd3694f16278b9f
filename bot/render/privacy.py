"""Who sees a customer's IP address: masking for everything that may be shared.

IPv4 keeps its first three octets (``203.0.113.x``); IPv6 its first three hextets
(``2001:db8:85a3::x``); anything else that sits in an address field becomes ``(hidden)``.
Country and ASN are kept: they explain a path without identifying a person.

Two layers. The renderers mask the fields they know (:func:`shown_ip`, :func:`mask_location`,
:func:`masked_report`) so that what is shown reads well. Then :func:`mask_shared` masks *by
value* the final payload of every shared place (card, thread, modal, unfurl, raw file): every
string, at any depth, in any field (known or not), is searched for the participant's addresses
(IPv4 and IPv6 in any spelling, inside longer text too) and for their city, region and time
zone, and each occurrence is replaced. The participant's addresses are every address in the
report except the media server's and TURN's (remote candidates, relay candidates, TURN URLs),
so a field the API adds tomorrow is covered without a code change.
"""

from __future__ import annotations

import html
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # the ack path imports the unfurl renderer: models load on first use
    from bot.realtimekit.models import IPInformation, Participant

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
    from bot.realtimekit.models import dump_participant

    return mask_report_data(dump_participant(participant), show_ip)


def mask_report_data(data: dict[str, Any], show_ip: bool) -> dict[str, Any]:
    """A participant's JSON data (parsed or as sent), masked unless allowed.

    Known fields first (readable masks), then by value over everything (unknown fields too).
    """
    if show_ip:
        return data
    masker = Masker.of_data(data)
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
    return masker.apply(data)


# --- masking by value --------------------------------------------------------------------------

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
T = TypeVar("T")

_V4 = re.compile(r"(?<!\d)(?:\d{1,3}\.){3}\d{1,3}(?!\d)")
#: Runs that may hold an IPv6 address (hex digits, colons, dots for a v4 tail, %zone).
_V6_RUN = re.compile(r"[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[0-9A-Za-z_.-]+)?")


def _parse(text: str) -> IP | None:
    try:
        ip = ipaddress.ip_address(text.strip().strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _v6_candidates(run: str) -> Iterator[tuple[str, IP]]:
    """IPv6 addresses in a hex/colon run: the whole run, or the run minus a ``:port``."""
    text = run.split("%", 1)[0]
    options = [text, text.strip(":."), text.rsplit(":", 1)[0], text.lstrip(":").rsplit(":", 1)[0]]
    for option in options:
        ip = _parse(option)
        if ip is not None:
            yield option, ip
            return


def ips_in(text: str) -> Iterator[tuple[str, IP]]:
    """Every IP address written in ``text`` (with the exact spelling found)."""
    if ":" in text:
        for match in _V6_RUN.finditer(text):
            yield from _v6_candidates(match.group(0))
    if "." in text:
        for match in _V4.finditer(text):
            ip = _parse(match.group(0))
            if ip is not None:
                yield match.group(0), ip


def _strings(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """(path of keys, string) for every string value at any depth (iteratively)."""
    stack: list[tuple[tuple[str, ...], Any]] = [(path, node)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            stack.extend(((*where, str(k)), v) for k, v in item.items())
        elif isinstance(item, list | tuple):
            stack.extend((where, v) for v in item)


#: Keys whose address is the far end (media server, TURN), not the participant.
_SERVER_KEYS = ("remote_candidate_address", "remote_candidate_url", "local_candidate_url")
_ADDRESS_SOURCES = ("sdp", "candidate")


def _server_addresses(data: dict[str, Any]) -> set[IP]:
    keep: set[IP] = set()
    metadata = (data.get("peer_report") or {}).get("metadata") or {}
    pairs = metadata.get("candidate_pairs") or {}
    if not isinstance(pairs, dict):
        return keep
    for transport in pairs.values():
        for pair in transport if isinstance(transport, list) else []:
            if not isinstance(pair, dict):
                continue
            for key in _SERVER_KEYS:
                value = pair.get(key)
                if isinstance(value, str):
                    keep.update(ip for _, ip in ips_in(value))
            if pair.get("local_candidate_type") == "relay":
                value = pair.get("local_candidate_address")
                ip = _parse(value) if isinstance(value, str) else None
                if ip is not None:
                    keep.add(ip)
    return keep


def _participant_addresses(data: dict[str, Any]) -> set[IP]:
    """Addresses that are the participant's whatever else they appear as."""
    mine: set[IP] = set()
    metadata = (data.get("peer_report") or {}).get("metadata") or {}
    info = metadata.get("ip_information") or {}
    if isinstance(info, dict):
        for key, value in info.items():
            if key.startswith("ip") and isinstance(value, str):
                mine.update(ip for _, ip in ips_in(value))
    pairs = metadata.get("candidate_pairs") or {}
    for transport in pairs.values() if isinstance(pairs, dict) else []:
        for pair in transport if isinstance(transport, list) else []:
            if not isinstance(pair, dict):
                continue
            related = pair.get("local_candidate_related_address")
            if isinstance(related, str):
                mine.update(ip for _, ip in ips_in(related))
            local = pair.get("local_candidate_address")
            if pair.get("local_candidate_type") != "relay" and isinstance(local, str):
                mine.update(ip for _, ip in ips_in(local))
    return mine


@dataclass(frozen=True)
class Masker:
    """What to hide of one participant, and how (built from their report)."""

    addresses: frozenset[IP]
    places: tuple[str, ...]

    @classmethod
    def of(cls, participant: Participant) -> Masker:
        from bot.realtimekit.models import dump_participant

        return cls.of_data(dump_participant(participant))

    @classmethod
    def of_data(cls, data: dict[str, Any]) -> Masker:
        keep = _server_addresses(data)
        found: set[IP] = set()
        for path, text in _strings(data):
            whole = _parse(text)
            if whole is not None:
                found.add(whole)
            elif any(source in part for part in path for source in _ADDRESS_SOURCES):
                found.update(ip for _, ip in ips_in(text))
        addresses = (found - keep) | _participant_addresses(data)
        return cls(frozenset(addresses), _places(data))

    def apply(self, node: T) -> T:
        """A copy of ``node`` (JSON-like) with every occurrence masked; other values as is."""
        if not self.addresses and not self.places:
            return node
        return self._walk(node)  # type: ignore[no-any-return]

    def text(self, value: str) -> str:
        """One string, masked."""
        out = value
        if self.addresses:
            out = self._addresses_in(out)
        for place in self.places:
            out = _place_pattern(place).sub(HIDDEN, out)
        return out

    def _walk(self, node: Any) -> Any:
        if isinstance(node, str):
            return self.text(node)
        if isinstance(node, dict):
            return {
                self.text(k) if isinstance(k, str) else k: self._walk(v) for k, v in node.items()
            }
        if isinstance(node, list | tuple):
            return [self._walk(v) for v in node]
        return node

    def _addresses_in(self, text: str) -> str:
        for spelling, ip in list(ips_in(text)):
            if ip in self.addresses:
                text = text.replace(spelling, mask_ip(str(ip)))
        for ip in self.addresses:
            for spelling in _spellings(ip):
                if spelling in text:
                    text = text.replace(spelling, mask_ip(str(ip)))
        return text


def _spellings(ip: IP) -> tuple[str, ...]:
    if isinstance(ip, ipaddress.IPv4Address):
        return (str(ip),)
    return (str(ip), ip.exploded, str(ip).upper(), ip.exploded.upper())


def _places(data: dict[str, Any]) -> tuple[str, ...]:
    metadata = (data.get("peer_report") or {}).get("metadata") or {}
    info = metadata.get("ip_information") or {}
    names: set[str] = set()
    if isinstance(info, dict):
        for key in ("city", "region", "timezone"):
            value = info.get(key)
            if isinstance(value, str) and len(value.strip()) >= 2:
                names.add(value.strip())
        timezone = info.get("timezone")
        if isinstance(timezone, str) and "/" in timezone:
            tail = timezone.rsplit("/", 1)[1]
            names.update(n for n in (tail, tail.replace("_", " ")) if len(n) >= 2)
    names.update({html.escape(n, quote=False) for n in names})
    # Longest first, so "New York" goes before "York".
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def _place_pattern(name: str) -> re.Pattern[str]:
    """Word-bounded; case-insensitive unless the name is a short code (``CA``, ``NY``)."""
    flags = re.IGNORECASE if len(name) > 3 else 0
    return re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", flags)


def mask_shared(payload: T, participant: Participant | None, show_ip: bool) -> T:
    """The final payload for a shared place, masked by value unless ``show_ip`` is allowed."""
    if show_ip or participant is None:
        return payload
    return Masker.of(participant).apply(payload)
