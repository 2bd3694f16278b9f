"""Device health: CPU, platform (:mod:`bot.health.platform`), device churn
(:mod:`bot.health.churn`) and the SDK's device events (:mod:`bot.health.events`) (pure).

CPU limitation is measured on the quality side (W3C ``qualityLimitationReason``) and reported
here because the remedy is on the device: fewer apps, no background effects, lower resolution.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.health import codes as C
from bot.health import thresholds as T
from bot.health.churn import assess_churn
from bot.health.findings import STATUS_SEVERITY, Findings, band
from bot.health.model import Area
from bot.health.platform import assess_platform, native_extras
from bot.health.quality import QualitySignals
from bot.health.timeline import TimestampCache
from bot.health.values import fmt_share, major_version, num
from bot.realtimekit.models import Participant, ReportMetadata


def assess_device(
    participant: Participant,
    signals: QualitySignals,
    times: TimestampCache,
    *,
    media_suffered: bool = False,
    extra: Findings | None = None,
) -> Area:
    """The device area; ``extra`` holds the SDK's device events (permissions, autoplay …).

    ``media_suffered`` (the quality area is fair or poor) lets device churn be critical.
    """
    metadata = participant.peer_report.metadata if participant.peer_report else None
    found = Findings()
    if extra is not None:
        found.extend(extra)
    known = _cpu_finding(metadata, signals, found)
    if metadata is not None:
        start = times.epoch(participant.joined_at) or times.epoch(participant.created_at)
        when = _call_date(participant, times)
        known |= assess_platform(metadata, found, when)
        assess_churn(metadata, found, times, start, media_suffered=media_suffered)
        known |= native_extras(metadata, found)
    if found.status() != "good":
        known = True  # a problem the device reported is evidence enough
    if not known:
        return found.area(
            "No device information in this report (device_info, browser and SDK metadata are "
            "absent — it may have been fetched with a filter)",
            known=False,
        )
    return found.area(_summary(metadata, found))


def _call_date(participant: Participant, times: TimestampCache) -> datetime:
    for text in (participant.joined_at, participant.created_at):
        epoch = times.epoch(text)
        if epoch is not None:
            try:
                return datetime.fromtimestamp(epoch, tz=UTC)
            except (OverflowError, OSError, ValueError):
                continue
    return T.REFERENCE_DATE


# --- CPU ---------------------------------------------------------------------------------------


def _cpu_finding(metadata: ReportMetadata | None, signals: QualitySignals, found: Findings) -> bool:
    info = metadata.device_info if metadata else None
    cpus = num(info.cpus) if info else None
    if cpus is not None and not 0 < cpus < 100_000:
        cpus = None
    level = signals.cpu
    share = level.cpu_share if level is not None else None
    cpu_status = "good"
    if level is not None and share is not None:
        cpu_status = band(share, T.LIMITED_SHARE_FAIR, T.LIMITED_SHARE_POOR)
        if cpu_status != "good":
            window = level.window("cpu")
            phrase = window.phrase() if window else ""
            when = f" (CPU-limited {phrase})" if phrase else ""
            cores = f" with {cpus:.0f} CPUs" if cpus is not None else ""
            found.add(
                STATUS_SEVERITY[cpu_status],
                C.DEVICE_CPU_LIMITED,
                f"This device could not keep up{cores}: the {level.track.label} encoder was "
                f"limited by CPU {fmt_share(share)} of the time{when}. Closing other apps and "
                "tabs, turning off background effects, or lowering the video resolution helps.",
                f"CPU-limited {fmt_share(share)} of the time",
            )
        found.metric("cpu_limited_share", round(share, 3))
    if cpus is not None:
        found.metric("cpus", int(cpus))
        if cpus <= T.LOW_CPU_COUNT:
            if cpu_status == "good":
                _few_cores(cpus, level is not None and share is not None, found)
        elif cpus <= T.MODEST_CPU_COUNT:
            found.add(
                "info",
                C.DEVICE_MODEST_CPU_COUNT,
                f"{cpus:.0f} CPU cores: fine for audio and one HD video stream, tight for more.",
            )
    return (level is not None and share is not None) or cpus is not None


def _few_cores(cpus: float, measured_ok: bool, found: Findings) -> None:
    """Few cores without CPU limitation (when the encoder was CPU-limited, the core count is part
    of that finding, "with 2 CPUs": one finding per cause). Measured and not limited, few cores
    are a note; with no encoder data they are a risk worth a warning."""
    found.add(
        "info" if measured_ok else "warning",
        C.DEVICE_LOW_CPU_COUNT,
        f"Only {cpus:.0f} CPU core{'s' if cpus != 1 else ''}: too few to encode video "
        "smoothly while the browser and other apps run"
        + (" (this call's encoder was not CPU-limited, though)." if measured_ok else "."),
        f"only {cpus:.0f} CPUs",
    )


# --- summary -----------------------------------------------------------------------------------


def describe(metadata: ReportMetadata | None) -> str:
    """``macOS 14.5 desktop, Chrome 131, 8 CPUs, RealtimeKit web 2.0.2`` (what is known)."""
    if metadata is None:
        return ""
    parts: list[str] = []
    info = metadata.device_info
    if info is not None:
        os_text = " ".join(p for p in (info.os, info.os_version) if p)
        form = None if info.is_mobile is None else ("mobile" if info.is_mobile else "desktop")
        text = " ".join(p for p in (os_text, form) if p)
        if text:
            parts.append(text)
    browser = metadata.browser_metadata
    if browser is not None and browser.browser:
        major = major_version(browser.browser_version)
        parts.append(f"{browser.browser} {major}" if major is not None else browser.browser)
    if info is not None:
        cpus = num(info.cpus)
        if cpus is not None and 0 < cpus < 100_000:
            parts.append(f"{cpus:.0f} CPUs")
    sdk = " ".join(p for p in (metadata.sdk_name, metadata.sdk_version) if p)
    if sdk:
        parts.append(sdk)
    return ", ".join(parts)


def _summary(metadata: ReportMetadata | None, found: Findings) -> str:
    what = describe(metadata)
    heads = found.top_headlines(2)
    if heads:
        text = "; ".join(heads)
        text = text[0].upper() + text[1:]
        return f"{text} — {what}" if what else text
    return what or "No device problems found"
