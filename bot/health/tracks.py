"""The eight track lists of a report and how to talk about them (pure data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Media = Literal["audio", "video"]
Direction = Literal["producer", "consumer"]


@dataclass(frozen=True, slots=True)
class Track:
    """One ``quality.<key>`` sample list and its ``<key>_cumulative`` summary.

    ``producer`` is what this peer sent (its upload); ``consumer`` is what it received.
    """

    key: str
    media: Media
    direction: Direction
    screenshare: bool
    label: str

    @property
    def family(self) -> Literal["audio", "video", "screenshare"]:
        return "screenshare" if self.screenshare else self.media

    @property
    def sent(self) -> bool:
        return self.direction == "producer"

    @property
    def is_camera(self) -> bool:
        return self.media == "video" and not self.screenshare


TRACKS: tuple[Track, ...] = (
    Track("audio_producer", "audio", "producer", False, "sent audio (microphone)"),
    Track("audio_consumer", "audio", "consumer", False, "received audio"),
    Track("video_producer", "video", "producer", False, "sent camera video"),
    Track("video_consumer", "video", "consumer", False, "received video"),
    Track("screenshare_video_producer", "video", "producer", True, "sent screen share"),
    Track("screenshare_video_consumer", "video", "consumer", True, "received screen share"),
    Track("screenshare_audio_producer", "audio", "producer", True, "sent screen-share audio"),
    Track("screenshare_audio_consumer", "audio", "consumer", True, "received screen-share audio"),
)
