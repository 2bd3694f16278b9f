"""Who lost the packets: this participant's upload, their download, or one remote sender (pure).

Consumer samples name the remote sender (``peer_id``, else ``producer_id``); received loss is
totalled per sender over all of that sender's streams, so the audio and video of one sender
count as one sender. The verdict, one finding for the one cause:

- sent and received media both lossy -> this participant's connection;
- only what they sent -> their upload;
- every sender (two or more) lossy with a clean upload -> their download;
- some senders lossy, others clean (or the only sender lossy) -> those senders: look at their
  reports (``Finding.peer_ids``);
- received loss without sender names -> cannot be attributed, said so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.health import codes as C
from bot.health import thresholds as T
from bot.health.findings import STATUS_SEVERITY
from bot.health.model import STATUS_RANK, Finding, SenderStats, Status
from bot.health.quality_levels import TrackLevel, levels_of
from bot.health.timeline import TimestampCache
from bot.health.tracks import Track
from bot.health.values import fmt_num, fmt_pct, fmt_share, rounded
from bot.realtimekit.models import Quality

#: **heuristic**: fewer packets than this from one sender say nothing about its loss.
MIN_SENDER_PACKETS = 100.0

_ACTION_UPLINK = (
    "Check this participant's upload: move closer to the Wi-Fi router or use a cable, and "
    "stop uploads (cloud sync, backups) competing for the line."
)
_ACTION_DOWNLINK = (
    "Check this participant's download: move closer to the Wi-Fi router or use a cable, and "
    "pause downloads or streaming on the same line."
)
_ACTION_CONNECTION = (
    "Fix this participant's connection first: use a cable or a better Wi-Fi spot, or switch "
    "networks (e.g. off a congested hotspot)."
)
_ACTION_RECEIVED = (
    "Compare with the senders' own reports: if their uploads were clean, check this "
    "participant's download."
)


@dataclass(frozen=True, slots=True)
class Attribution:
    """The loss verdict: per-sender stats, uplink loss and the finding(s) for the cause."""

    received_from: tuple[SenderStats, ...] = ()
    uplink_loss_pct: float | None = None
    findings: tuple[Finding, ...] = ()
    status: Status = "unknown"
    headlines: tuple[str, ...] = field(default=())


def loss_bands(track: Track) -> tuple[float, float]:
    if track.media == "audio":
        return T.AUDIO_LOSS_FAIR_PCT, T.AUDIO_LOSS_POOR_PCT
    return T.VIDEO_LOSS_FAIR_PCT, T.VIDEO_LOSS_POOR_PCT


def _band(value: float, track: Track) -> Status:
    fair, poor = loss_bands(track)
    if value > poor:
        return "poor"
    return "fair" if value >= fair else "good"


def loss_status(level: TrackLevel) -> Status:
    """Level from the average; a tenth of the call at >= 10 % loss is poor regardless."""
    if level.loss_pct is None and level.loss_ge10 is None:
        return "unknown"
    status: Status = "good"
    if level.loss_pct is not None:
        status = _band(level.loss_pct, level.track)
    if level.loss_ge10 is not None and level.loss_ge10 >= T.LOSS_BURST_SHARE_POOR:
        status = "poor"
    return status


def _worst(statuses: list[Status]) -> Status:
    known = [s for s in statuses if s != "unknown"]
    return max(known, key=STATUS_RANK.__getitem__) if known else "unknown"


@dataclass(slots=True)
class _Sender:
    peer_id: str
    media: list[str] = field(default_factory=list)
    lost: float = 0.0
    total: float = 0.0
    status: Status = "good"
    tracks: list[TrackLevel] = field(default_factory=list)
    #: Loss taken from the received tracks' summaries (no per-sender counters): not packets.
    from_summary: bool = False

    @property
    def loss_pct(self) -> float | None:
        return 100.0 * self.lost / self.total if self.total > 0 else None


def _senders(received: list[TrackLevel]) -> dict[str, _Sender]:
    out: dict[str, _Sender] = {}
    for level in received:
        for peer, counts in level.senders.items():
            sender = out.setdefault(peer, _Sender(peer))
            if level.track.family not in sender.media:
                sender.media.append(level.track.family)
            sender.lost += counts.lost
            sender.total += counts.total
            sender.tracks.append(level)
            if counts.total >= MIN_SENDER_PACKETS:
                status = _band(100.0 * counts.lost / counts.total, level.track)
                sender.status = _worst([sender.status, status])
    return out


def _detail(level: TrackLevel) -> str:
    """``received video lost 6.2% of packets on average (10%+ loss in 27% of samples)``."""
    label = level.track.label
    if level.loss_pct is not None:
        text = f"{label} lost {fmt_pct(level.loss_pct)} of packets on average"
    else:
        text = f"{label} had bursts of packet loss"
    if level.loss_ge10:
        text += f" (10%+ loss in {fmt_share(level.loss_ge10)} of samples)"
    elif level.loss_ge5:
        text += f" (5%+ loss in {fmt_share(level.loss_ge5)} of samples)"
    window = level.window("loss")
    phrase = window.phrase() if window is not None else ""
    if phrase:
        text += f", above {fmt_num(loss_bands(level.track)[1])}% {phrase}"
    return text


def _worst_level(levels: list[TrackLevel]) -> TrackLevel | None:
    judged = [lv for lv in levels if loss_status(lv) != "unknown"]
    return max(
        judged, key=lambda lv: (STATUS_RANK[loss_status(lv)], lv.loss_pct or 0.0), default=None
    )


def _uplink_pct(sent: list[TrackLevel]) -> float | None:
    lost = sum(lv.timeline.packets_lost for lv in sent if lv.timeline is not None)
    total = sum(lv.timeline.packets_total for lv in sent if lv.timeline is not None)
    if total > 0:
        return 100.0 * lost / total
    values = [lv.loss_pct for lv in sent if lv.loss_pct is not None]
    return max(values) if values else None


def _severe(pct: float | None) -> str:
    return (
        " — severe: expect robotic audio or frozen video"
        if pct is not None and pct > T.LOSS_SEVERE_PCT
        else ""
    )


def attribute_levels(levels: list[TrackLevel]) -> Attribution:
    """The loss verdict for already-built track levels (see :func:`attribute`)."""
    sent = [lv for lv in levels if lv.track.sent]
    received = [lv for lv in levels if not lv.track.sent]
    up_status = _worst([loss_status(lv) for lv in sent])
    up_lossy = up_status in ("fair", "poor")
    senders = _senders(received)
    judged = [s for s in senders.values() if s.total >= MIN_SENDER_PACKETS]
    track_down = _worst([loss_status(lv) for lv in received])
    if not judged and len(senders) == 1:
        # No counters, but only one remote sender: the received summaries are its media.
        (only_one,) = senders.values()
        only_one.status = track_down
        pcts = [lv.loss_pct for lv in received if lv.loss_pct is not None]
        if pcts and track_down != "unknown":
            only_one.lost, only_one.total, only_one.from_summary = max(pcts), 100.0, True
            only_one.media = sorted({lv.track.family for lv in received})
            judged = [only_one]
    lossy = [s for s in judged if s.status in ("fair", "poor")]
    down_status = _worst([s.status for s in judged]) if judged else track_down
    down_lossy = down_status in ("fair", "poor")
    stats = tuple(
        SenderStats(
            peer_id=s.peer_id,
            media=tuple(s.media),
            loss_pct=rounded(s.loss_pct),
            packets=0 if s.from_summary else int(s.total),
            lossy=s in lossy,
        )
        for s in sorted(senders.values(), key=lambda s: (-(s.loss_pct or 0.0), s.peer_id))
    )
    uplink = _uplink_pct(sent)
    up_level, down_level = _worst_level(sent), _worst_level(received)
    findings: list[Finding] = []
    heads: list[str] = []
    # Some senders lossy and others clean is those senders' problem, even when this
    # participant's upload is lossy too (two causes, two findings).
    some_senders = bool(lossy) and len(lossy) < len(judged)
    # Then this participant's own connection is shown to be fine: what they received is at
    # most fair here (the poor verdict belongs on the sender's report, and the whole-call
    # triage blames the sender), so one bad upload does not turn a whole call red.
    received_status: Status = "fair" if some_senders and down_lossy else down_status
    status = _worst([up_status, received_status])
    if up_lossy and down_lossy and up_level is not None and not some_senders:
        severity = STATUS_SEVERITY[status]
        down_text = _detail(down_level) if down_level is not None else "received media was lossy"
        findings.append(
            Finding(
                severity=severity,
                code=C.QUALITY_CONNECTION_LOSS,
                message=f"Packets were lost both ways: {_detail(up_level)}, and {down_text}. "
                "Sent and received media share only this participant's own connection, so "
                f"that is the common factor{_severe(up_level.loss_pct)}.",
                action=_ACTION_CONNECTION,
            )
        )
        heads.append("loss both ways on this participant's connection")
    elif up_lossy and up_level is not None:
        clean = " (what they received was clean)" if down_status == "good" else ""
        findings.append(
            Finding(
                severity=STATUS_SEVERITY[up_status],
                code=C.QUALITY_UPLINK_LOSS,
                message=f"{_cap(_detail(up_level))} on the way from this participant to the "
                f"media server: their upload{clean}{_severe(up_level.loss_pct)}.",
                action=_ACTION_UPLINK,
            )
        )
        heads.append(f"{_pct(up_level)} loss on {up_level.track.label} (upload)")
        if some_senders:
            findings.append(_sender_finding(lossy, judged))
            heads.append("lossy media from " + ", ".join(s.peer_id for s in lossy[:2]))
    elif down_lossy and judged and len(lossy) == len(judged) and len(judged) >= 2:
        worst = max(lossy, key=lambda s: s.loss_pct or 0.0)
        up_note = (
            "this participant's own upload was clean"
            if up_status == "good"
            else "their upload was not measured"
        )
        findings.append(
            Finding(
                severity=STATUS_SEVERITY[down_status],
                code=C.QUALITY_DOWNLINK_LOSS,
                message=f"Media from every sender ({len(lossy)} of {len(judged)}) arrived "
                f"lossy (up to {fmt_pct(worst.loss_pct or 0.0)}) while {up_note}: the loss is "
                f"on this participant's download{_severe(worst.loss_pct)}.",
                action=_ACTION_DOWNLINK,
            )
        )
        heads.append(f"loss on this participant's download ({len(lossy)} of {len(judged)} senders)")
    elif down_lossy and lossy:
        findings.append(_sender_finding(lossy, judged))
        names = ", ".join(s.peer_id for s in lossy[:2])
        heads.append(f"lossy media from {names}")
    elif down_lossy and down_level is not None:
        findings.append(
            Finding(
                severity=STATUS_SEVERITY[down_status],
                code=C.QUALITY_RECEIVED_LOSS,
                message=f"{_cap(_detail(down_level))} on the way to this participant. The "
                "report does not name the senders, so their download and the senders' uploads "
                f"cannot be told apart{_severe(down_level.loss_pct)}.",
                action=_ACTION_RECEIVED,
            )
        )
        heads.append(f"{_pct(down_level)} loss on {down_level.track.label}")
    return Attribution(
        received_from=stats,
        uplink_loss_pct=rounded(uplink),
        findings=tuple(findings),
        status=status,
        headlines=tuple(heads),
    )


def _sender_finding(lossy: list[_Sender], judged: list[_Sender]) -> Finding:
    ordered = sorted(lossy, key=lambda s: -(s.loss_pct or 0.0))
    parts = []
    for sender in ordered[:3]:
        media = " and ".join(sender.media)
        when = _sender_when(sender)
        when = f"; {when}" if when else ""
        share = fmt_pct(sender.loss_pct or 0.0)
        amount = f"up to {share}" if sender.from_summary else share
        parts.append(f"{sender.peer_id} ({amount} of its {media} lost{when})")
    who = ", ".join(parts) + (f" and {len(ordered) - 3} more" if len(ordered) > 3 else "")
    peers = tuple(s.peer_id for s in ordered)
    if len(judged) == 1:
        tail = (
            "; it was the only sender, so this participant's download cannot be ruled out — "
            "their own upload and that peer's report tell which"
        )
    else:
        clean = len(judged) - len(lossy)
        tail = f"; media from the other {clean} sender{'s' if clean != 1 else ''} arrived clean"
    look = "that peer's report" if len(peers) == 1 else "those peers' reports"
    severity = STATUS_SEVERITY[_worst([s.status for s in lossy])]
    if len(judged) > len(lossy):
        severity = "warning"  # other senders arrived clean: nothing to fix on this side
    return Finding(
        severity=severity,
        code=C.QUALITY_SENDER_LOSS,
        message=f"Received media from {who} was lossy: look at {look} (their upload){tail}.",
        action=f"Open the peer report of {peers[0]} and check its upload."
        if len(peers) == 1
        else "Open the peer reports of " + ", ".join(peers) + " and check their uploads.",
        peer_ids=peers,
    )


def _sender_when(sender: _Sender) -> str:
    """When the sender's media was lossy, from a track that carried only this sender."""
    for level in sorted(sender.tracks, key=lambda lv: -(lv.loss_pct or 0.0)):
        window = level.window("loss")
        if len(level.senders) == 1 and window is not None and window.phrase():
            poor = fmt_num(loss_bands(level.track)[1])
            return f"{level.track.label} above {poor}% {window.phrase()}"
    return ""


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pct(level: TrackLevel) -> str:
    return fmt_pct(level.loss_pct) if level.loss_pct is not None else "bursts of"


def attribute(quality: Quality | None) -> Attribution:
    """Per-sender attribution of packet loss for one report's quality section (pure)."""
    return attribute_levels(levels_of(quality, TimestampCache()))
