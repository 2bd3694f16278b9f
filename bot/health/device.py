"""Device health: OS, browser, SDK, CPU, device churn, and CPU-limited encoding (pure).

CPU limitation is measured on the quality side (W3C ``qualityLimitationReason``) and reported
here because the remedy is on the device: fewer apps, no background effects, lower resolution.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.health import codes as C
from bot.health import thresholds as T
from bot.health.findings import STATUS_SEVERITY, Findings, band
from bot.health.model import Area, Severity
from bot.health.quality import QualitySignals
from bot.health.timeline import TimestampCache
from bot.health.values import clock, fmt_share, major_version, num
from bot.realtimekit.models import DeviceUpdate, Participant, ReportMetadata

_LABEL_MAX = 40


@dataclass(frozen=True, slots=True)
class _Browser:
    family: str  # chrome | edge | firefox | safari | other
    name: str
    major: int | None


def assess_device(participant: Participant, signals: QualitySignals, times: TimestampCache) -> Area:
    metadata = participant.peer_report.metadata if participant.peer_report else None
    found = Findings()
    known = _cpu_finding(metadata, signals, found)
    if metadata is not None:
        start = times.epoch(participant.joined_at) or times.epoch(participant.created_at)
        when = _call_date(participant, times)
        known |= _platform(metadata, found, when)
        known |= _churn(metadata, found, times, start)
        known |= _extras(metadata, found)
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
            severity: Severity = "critical" if cpu_status != "good" else "warning"
            found.add(
                severity,
                C.DEVICE_LOW_CPU_COUNT,
                f"Only {cpus:.0f} CPU core{'s' if cpus != 1 else ''}: too few to encode video "
                "smoothly while the browser and other apps run.",
                f"only {cpus:.0f} CPUs",
            )
        elif cpus <= T.MODEST_CPU_COUNT:
            found.add(
                "info",
                C.DEVICE_MODEST_CPU_COUNT,
                f"{cpus:.0f} CPU cores: fine for audio and one HD video stream, tight for more.",
            )
    return level is not None and share is not None


# --- OS, browser, SDK --------------------------------------------------------------------------


def _browser(name: str | None, version: str | None) -> _Browser | None:
    if not name:
        return None
    low = name.lower()
    if "edg" in low:
        family = "edge"
    elif "opera" in low or "opr" in low or "samsung" in low or "yandex" in low:
        family = "other"
    elif "chrom" in low:
        family = "chrome"
    elif "firefox" in low:
        family = "firefox"
    elif "safari" in low:
        family = "safari"
    else:
        family = "other"
    return _Browser(family, name, major_version(version))


def _expected_major(family: str, when: datetime) -> int | None:
    anchor = T.BROWSER_RELEASE_ANCHORS.get(family)
    if anchor is None:
        return None
    major, date = anchor
    return major + (when - date).days // T.BROWSER_RELEASE_DAYS


def _platform(metadata: ReportMetadata, found: Findings, when: datetime) -> bool:
    known = False
    browser_meta = metadata.browser_metadata
    browser = None
    if browser_meta is not None:
        known = True
        browser = _browser(browser_meta.browser, browser_meta.browser_version)
        found.metric("browser", browser_meta.browser)
        found.metric("browser_version", browser_meta.browser_version)
        found.metric("engine", browser_meta.engine)
        found.metric("webgl_support", browser_meta.webgl_support)
        if browser is not None and browser.major is not None:
            expected = _expected_major(browser.family, when)
            if expected is not None and browser.major < expected - T.BROWSER_MAJORS_BEHIND:
                found.add(
                    "warning",
                    C.DEVICE_OLD_BROWSER,
                    f"{browser.name} {browser.major} is {expected - browser.major} versions behind "
                    f"the release current at the time of the call (about {expected}); old "
                    "browsers miss WebRTC fixes — ask the user to update.",
                    f"{browser.name} {browser.major} is old",
                )
            elif browser.family == "safari" and browser.major < T.MIN_SAFARI_MAJOR:
                found.add(
                    "warning",
                    C.DEVICE_OLD_BROWSER,
                    f"Safari {browser.major} is old (before {T.MIN_SAFARI_MAJOR}) and misses "
                    "many WebRTC fixes — ask the user to update the OS/browser.",
                    f"Safari {browser.major} is old",
                )
        if browser_meta.webgl_support is False:
            found.add(
                "info",
                C.DEVICE_WEBGL_UNAVAILABLE,
                "WebGL is unavailable in this browser: background blur and virtual backgrounds "
                "may be off or fall back to the CPU.",
            )

    info = metadata.device_info
    if info is not None:
        known = True
        found.metric("os", info.os)
        found.metric("os_version", info.os_version)
        found.metric("is_mobile", info.is_mobile)
        _old_os(info.os, info.os_version, info.is_mobile, browser, found)

    if metadata.sdk_name or metadata.sdk_version or metadata.sdk_type:
        known = True
        found.metric("sdk_name", metadata.sdk_name)
        found.metric("sdk_type", metadata.sdk_type)
        found.metric("sdk_version", metadata.sdk_version)
        _old_sdk(metadata, found)
    return known


def _old_os(
    os_name: str | None,
    version: str | None,
    mobile: bool | None,
    browser: _Browser | None,
    found: Findings,
) -> None:
    if not os_name or not version:
        return
    low = os_name.lower()
    major = major_version(version)
    if major is None:
        return
    old = False
    if "android" in low:
        # Chrome's reduced user agent reports every Android version as "10" (Chrome >= 110).
        reduced = (
            major == 10
            and browser is not None
            and browser.family in ("chrome", "edge")
            and (browser.major or 0) >= 110
        )
        old = major < T.MIN_ANDROID_MAJOR and not reduced
    elif "ios" in low or "iphone" in low or "ipad" in low:
        old = major < T.MIN_IOS_MAJOR
    elif "windows" in low:
        old = major < T.MIN_WINDOWS_MAJOR
    elif "mac" in low or "os x" in low:
        # Browsers freeze macOS at 10.15.7 in the user agent: only earlier 10.x is evidence.
        minor = major_version(version.split(".", 1)[1]) if "." in version else None
        old = major < 10 or (major == 10 and minor is not None and minor < 15)
    if old:
        kind = "mobile OS" if mobile else "operating system"
        found.add(
            "warning",
            C.DEVICE_OLD_OS,
            f"{os_name} {version} is an old {kind} without current vendor support; its media "
            "stack may miss WebRTC fixes.",
            f"{os_name} {version} is old",
        )


def _old_sdk(metadata: ReportMetadata, found: Findings) -> None:
    name = metadata.sdk_name or ""
    low = name.lower()
    shown = f"{name} {metadata.sdk_version or ''}".strip()
    if "dyte" in low:
        found.add(
            "warning",
            C.DEVICE_LEGACY_SDK,
            f"The app uses the legacy Dyte SDK ({shown}), which is in maintenance mode; "
            "the RealtimeKit SDK gets the media fixes.",
            "legacy Dyte SDK",
        )
        return
    major = major_version(metadata.sdk_version)
    is_rtk = any(word in low for word in ("realtimekit", "rtk", "cloudflare"))
    if is_rtk and major is not None and major < T.REALTIMEKIT_SDK_CURRENT_MAJOR:
        found.add(
            "warning",
            C.DEVICE_OLD_SDK,
            f"RealtimeKit SDK {metadata.sdk_version} is an older major version "
            f"({T.REALTIMEKIT_SDK_CURRENT_MAJOR}.x is current); upgrading brings media fixes.",
            f"old SDK {metadata.sdk_version}",
        )


def _extras(metadata: ReportMetadata, found: Findings) -> bool:
    native = metadata.native_metadata
    if native is None or not (native.audio_encoder or native.video_encoder):
        return False
    found.metric("audio_encoder", native.audio_encoder)
    found.metric("video_encoder", native.video_encoder)
    parts = []
    if native.audio_encoder:
        parts.append(f"audio encoder {_label(native.audio_encoder)}")
    if native.video_encoder:
        parts.append(f"video encoder {_label(native.video_encoder)}")
    found.add("info", C.DEVICE_NATIVE_APP, f"Native app: {', '.join(parts)}.")
    return True


# --- device churn ------------------------------------------------------------------------------


def _label(text: str | None) -> str:
    if not text:
        return "unnamed device"
    clean = " ".join(text.split())
    return clean if len(clean) <= _LABEL_MAX else clean[: _LABEL_MAX - 1] + "…"


def _churn(
    metadata: ReportMetadata, found: Findings, times: TimestampCache, start: float | None
) -> bool:
    lists = (
        metadata.audio_devices_updates,
        metadata.video_devices_updates,
        metadata.speaker_devices_updates,
    )
    selected = metadata.selected_device_updates
    if all(lst is None for lst in lists) and selected is None:
        return False

    changes = 0
    labels: Counter[str] = Counter()
    stamps: list[float] = []
    for updates in lists:
        for index, update in enumerate(updates or []):
            t = times.epoch(update.timestamp)
            if _initial_enumeration(update, index, t, start):
                continue
            for device in (update.added or []) + (update.removed or []):
                changes += 1
                labels[_label(device.label)] += 1
            if t is not None and (update.added or update.removed):
                stamps.append(t)

    switches = 0
    by_kind: Counter[str] = Counter()
    seen_kinds: set[str] = set()
    switch_labels: list[str] = []
    switch_stamps: list[float] = []
    for choice in selected or []:
        chosen = choice.device
        kind = (chosen.kind if chosen else None) or "device"
        if kind not in seen_kinds:
            seen_kinds.add(kind)
            continue
        switches += 1
        by_kind[_kind_name(kind)] += 1
        if chosen is not None:
            switch_labels.append(_label(chosen.label))
        t = times.epoch(choice.timestamp)
        if t is not None:
            switch_stamps.append(t)

    found.metric("device_updates", changes)
    found.metric("device_switches", switches)
    change_status = band(changes, T.DEVICE_UPDATES_FAIR + 1, T.DEVICE_UPDATES_POOR)
    switch_status = band(switches, T.DEVICE_SWITCHES_FAIR + 1, T.DEVICE_SWITCHES_POOR)
    if change_status != "good":
        common = ", ".join(f"'{name}'" for name, _ in labels.most_common(2))
        found.add(
            STATUS_SEVERITY[change_status],
            C.DEVICE_CHURN,
            f"Audio/video devices were plugged in or removed {changes} times after joining"
            f"{_span(stamps)}, most often {common} — typical of a loose USB/Bluetooth headset, "
            "a docking station or OS audio routing.",
            f"{changes} device plug/unplug events",
        )
    if switch_status != "good":
        kinds = ", ".join(f"{kind} {count}" for kind, count in by_kind.most_common())
        recent = _distinct(switch_labels)
        examples = f", switching between {recent}" if recent else ""
        found.add(
            STATUS_SEVERITY[switch_status],
            C.DEVICE_SWITCHES,
            f"The selected device changed {switches} times ({kinds}"
            f"{', ' + _span_text(switch_stamps) if switch_stamps else ''})"
            f"{examples} — each switch interrupts audio or video briefly.",
            f"{switches} device switches",
        )
    if change_status == "good" and switch_status == "good" and (changes or switches):
        found.add(
            "info",
            C.DEVICE_CHANGES,
            f"{changes} device plug/unplug event{'s' if changes != 1 else ''} and {switches} "
            f"device switch{'es' if switches != 1 else ''} during the call"
            f"{_span(stamps + switch_stamps)}.",
        )
    return True


def _initial_enumeration(
    update: DeviceUpdate, index: int, t: float | None, start: float | None
) -> bool:
    """Devices listed at join time are the initial enumeration, not churn (**heuristic**)."""
    if t is not None and start is not None:
        return t <= start + T.DEVICE_ENUMERATION_GRACE_S
    return index == 0 and not update.removed


def _kind_name(kind: str) -> str:
    return {
        "audioinput": "microphone",
        "videoinput": "camera",
        "audiooutput": "speaker",
    }.get(kind, kind)


def _distinct(labels: list[str], limit: int = 2) -> str:
    out: list[str] = []
    for label in labels:
        if label not in out:
            out.append(label)
        if len(out) == limit:
            break
    return " and ".join(f"'{label}'" for label in out)


def _span_text(stamps: list[float]) -> str:
    if not stamps:
        return ""
    first, last = min(stamps), max(stamps)
    if last - first < 60:
        return f"around {clock(first)} UTC"
    return f"between {clock(first)} and {clock(last)} UTC"


def _span(stamps: list[float]) -> str:
    text = _span_text(stamps)
    return f" ({text})" if text else ""


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
