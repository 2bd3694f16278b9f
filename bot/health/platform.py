"""Device platform: operating system, browser and SDK versions (pure).

"Old" is judged against the release current at the time of the call (browser majors ship on a
fixed cadence, thresholds in :mod:`bot.health.thresholds`). A block whose fields are all null
is "not reported", never a healthy platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.health import codes as C
from bot.health import thresholds as T
from bot.health.churn import label
from bot.health.findings import Findings
from bot.health.values import major_version
from bot.realtimekit.models import ReportMetadata


@dataclass(frozen=True, slots=True)
class _Browser:
    family: str  # chrome | edge | firefox | safari | other
    name: str
    major: int | None


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


def assess_platform(metadata: ReportMetadata, found: Findings, when: datetime) -> bool:
    """OS, browser and SDK findings; returns whether any of them was reported (not null)."""
    known = False
    browser_meta = metadata.browser_metadata
    browser = None
    if browser_meta is not None and (browser_meta.browser or browser_meta.browser_version):
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
    if info is not None and (info.os or info.os_version or info.is_mobile is not None):
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


def native_extras(metadata: ReportMetadata, found: Findings) -> bool:
    """Native-app encoder metadata; returns whether there was any."""
    native = metadata.native_metadata
    if native is None or not (native.audio_encoder or native.video_encoder):
        return False
    found.metric("audio_encoder", native.audio_encoder)
    found.metric("video_encoder", native.video_encoder)
    parts = []
    if native.audio_encoder:
        parts.append(f"audio encoder {label(native.audio_encoder)}")
    if native.video_encoder:
        parts.append(f"video encoder {label(native.video_encoder)}")
    found.add("info", C.DEVICE_NATIVE_APP, f"Native app: {', '.join(parts)}.")
    return True
