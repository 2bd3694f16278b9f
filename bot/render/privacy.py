"""Who sees a customer's IP address: masking for everything that may be shared.

IPv4 keeps its first three octets (``203.0.113.x``); IPv6 its first three hextets
(``2001:db8:85a3::x``); anything else that sits in an address field becomes ``(hidden)``.
Country and ASN are kept: they explain a path without identifying a person.

Two layers. The renderers mask the fields they know (:func:`shown_ip`, :func:`mask_location`,
:func:`masked_report`) so that what is shown reads well. Then :func:`mask_shared` masks *by
value* the final payload of every shared place (card, thread, modal, unfurl, raw file): every
string, at any depth, in any field (known or not), is searched for the participant's addresses
(IPv4 and IPv6 in any spelling, inside longer text too) and for their city, region and time
zone, and each occurrence is replaced. The participant's addresses are those of
``ip_information`` and of their own ICE candidates, plus every other address written in the
report outside the quality samples, except the media server's and TURN's (remote candidates,
relay candidates, TURN URLs); so a field the API adds tomorrow is covered without a code
change.
"""

from __future__ import annotations

import functools
import html
import ipaddress
import json
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


#: Keys whose address is the far end (media server, TURN), not the participant.
_SERVER_KEYS = ("remote_candidate_address", "remote_candidate_url", "local_candidate_url")


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


#: JSON string literals that may be, as a whole, an IPv4 or IPv6 address (cheap to find).
_WHOLE_V4 = re.compile(r'"(\d{1,3}(?:\.\d{1,3}){3})"')
_WHOLE_V6 = re.compile(r'"\[?((?:[0-9A-Fa-f]{1,4}:|::)[0-9A-Fa-f:.]*)\]?(?:%[\w.-]+)?"')
#: Text that holds addresses inside longer strings (SDP lines, ICE candidates).
_ADDRESS_NEEDLES = ("candidate", "IN IP")


def _literals_around(text: str, needle: str) -> Iterator[str]:
    """Each JSON string literal of ``text`` that contains ``needle`` (approximately bounded)."""
    at = text.find(needle)
    while at != -1:
        start = text.rfind('"', 0, at) + 1
        end = text.find('"', at)
        end = len(text) if end == -1 else end
        yield text[start:end]
        at = text.find(needle, end + 1)


def _useful(ip: IP) -> bool:
    """Addresses worth masking (``::``, ``0.0.0.0`` and loopback identify nobody)."""
    return not (ip.is_unspecified or ip.is_loopback)


def _addresses_in_json(text: str) -> set[IP]:
    """Every address a JSON document holds as a whole string or inside SDP/candidate text."""
    found: set[IP] = set()
    for literal in {*_WHOLE_V4.findall(text), *_WHOLE_V6.findall(text)}:
        ip = _parse(literal)
        if ip is not None:
            found.add(ip)
    for needle in _ADDRESS_NEEDLES:
        for literal in _literals_around(text, needle):
            found.update(ip for _, ip in ips_in(literal))
    return {ip for ip in found if _useful(ip)}


@dataclass(frozen=True)
class Masker:
    """What to hide of one participant, and how (built from their report)."""

    addresses: frozenset[IP]
    places: tuple[str, ...]

    @classmethod
    def of(cls, participant: Participant) -> Masker:
        metadata = participant.peer_report.metadata if participant.peer_report else None
        small: dict[str, Any] = {}
        if metadata is not None:
            for name in ("ip_information", "candidate_pairs"):
                part = getattr(metadata, name)
                if part is not None:
                    small[name] = part.model_dump(mode="json", exclude_none=True)
        # Every field but the quality samples (numbers: the bulk of a long call's report) is
        # searched for addresses; the participant's own addresses are masked everywhere.
        text = participant.model_dump_json(
            by_alias=True, exclude_none=True, exclude={"peer_report": {"quality"}}
        )
        return cls._build(text, {"peer_report": {"metadata": small}})

    @classmethod
    def of_data(cls, data: dict[str, Any]) -> Masker:
        return cls._build(json.dumps(data, ensure_ascii=False), data)

    @classmethod
    def _build(cls, text: str, data: dict[str, Any]) -> Masker:
        keep = _server_addresses(data)
        mine = {ip for ip in _participant_addresses(data) if _useful(ip)}
        addresses = (_addresses_in_json(text) - keep) | mine
        return cls(frozenset(addresses), _places(data))

    def apply(self, node: T) -> T:
        """A copy of ``node`` (JSON-like) with every occurrence masked; other values as is.

        Works on the JSON text of ``node`` (one pass of compiled patterns, whatever its size),
        so keys, values and every depth are covered alike.
        """
        if not self.addresses and not self.places:
            return node
        masked: T = json.loads(self.text(json.dumps(node, ensure_ascii=False)))
        return masked

    def text(self, value: str) -> str:
        """One string (or a JSON document), masked."""
        out = value
        if self.addresses:
            out = self._spelled.sub(lambda m: self._masks[m.group(0)], out)
            if self._has_v6 and ":" in out:
                out = self._any_v6_spelling(out)
        if self.places:
            out = _places_pattern(self.places).sub(HIDDEN, out)
        return out

    @functools.cached_property
    def _masks(self) -> dict[str, str]:
        return {spelling: mask_ip(str(ip)) for ip in self.addresses for spelling in _spellings(ip)}

    @functools.cached_property
    def _spelled(self) -> re.Pattern[str]:
        spellings = sorted(self._masks, key=lambda t: (-len(t), t))
        return re.compile("|".join(re.escape(t) for t in spellings))

    @functools.cached_property
    def _has_v6(self) -> bool:
        return any(isinstance(ip, ipaddress.IPv6Address) for ip in self.addresses)

    def _any_v6_spelling(self, text: str) -> str:
        """IPv6 written in a spelling not listed (leading zeros, partial compression)."""
        for spelling, ip in list(ips_in(text)):
            if ip in self.addresses and isinstance(ip, ipaddress.IPv6Address):
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
    names.update({json.dumps(n, ensure_ascii=False)[1:-1] for n in names})
    # Longest first, so "New York" goes before "York".
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


@functools.lru_cache(maxsize=256)
def _places_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """Word-bounded alternation; case-insensitive except short codes (``CA``, ``NY``)."""
    parts = [re.escape(n) if len(n) <= 3 else f"(?i:{re.escape(n)})" for n in names]
    # A name right after a JSON escape (``\\nBerlin``, ``\\u001fBerlin``) is still a word start.
    start = r"(?:(?<!\w)|(?<=\\[nrtbf])|(?<=\\u[0-9a-fA-F]{4}))"
    return re.compile(start + "(?:" + "|".join(parts) + r")(?!\w)")


def mask_shared(payload: T, participant: Participant | None, show_ip: bool) -> T:
    """The final payload for a shared place, masked by value unless ``show_ip`` is allowed."""
    if show_ip or participant is None:
        return payload
    return Masker.of(participant).apply(payload)
