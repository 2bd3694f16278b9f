"""The raw view: the report as JSON (masked unless allowed), exact as Cloudflare sent it."""

from __future__ import annotations

import json

from bot.realtimekit.models import Participant
from bot.render.escape import inline
from bot.render.privacy import Masker, mask_report_data, masked_report
from bot.render.rawjson import exact_dumps, load_exact
from bot.render.sections.content import TITLES, Section, size_text

RAW_NOTE = (
    "IP addresses, city, region and SDP are masked; ask in a channel listed in "
    "PEER_REPORT_SHOW_IP_IN or run `peer-report show … --section raw` for full values."
)


def render_raw_json(participant: Participant, *, show_ip: bool, raw: bytes | None = None) -> bytes:
    """The report as pretty JSON for the file upload; masked unless allowed, never a token.

    With ``raw`` (the bytes Cloudflare sent) those are printed, every number exactly as
    written (``1e400`` stays ``1e400``, ``0`` stays ``0``) and unknown keys included; without
    it (or if the bytes are not JSON after all) the parsed participant is printed.
    """
    if raw is not None:
        document = load_exact(raw)
        if isinstance(document, dict):
            masker: Masker | None = None
            if not show_ip:
                data = document.get("data")
                inner = data.get("participant") if isinstance(data, dict) else None
                participant_data = inner if isinstance(inner, dict) else document
                # The participant's own addresses and places, found before anything is
                # masked; the known fields are masked in place (numbers stay as written) and
                # then every occurrence anywhere in the envelope, by value, in the text.
                masker = Masker.of_data(participant_data)
                mask_report_data(participant_data, show_ip)
                document = {"_note": RAW_NOTE, **document}
            text = exact_dumps(document)
            if text is not None:
                if masker is not None:
                    text = masker.text(text)
                return (text + "\n").encode()
    data = masked_report(participant, show_ip)
    if not show_ip:
        data = {"_note": RAW_NOTE, **data}
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def raw_section(
    participant: Participant,
    app_id: str,
    show_ip: bool,
    raw: bytes | None,
    peer_id: str | None = None,
) -> Section:
    size = len(raw) if raw is not None else len(render_raw_json(participant, show_ip=show_ip))
    peer = peer_id or participant.id or "PEER"
    masked = "IP addresses and city are masked." if not show_ip else "Full values."
    return Section(
        TITLES["raw"],
        f"The whole report ({size_text(size)}) is uploaded as a JSON file in the thread. {masked}",
        [
            f"From a terminal: `peer-report show {inline(app_id or 'APP')} {inline(peer)} "
            "--section raw`"
        ],
    )
