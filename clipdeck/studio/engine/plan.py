"""Turn a job and its probes into a timeline: what to read, how long the output is.

All lengths follow the recording (``source``): the trim selects a window of it,
speed divides the window's length, and the output has exactly
``round(window / speed * 30)`` frames and 1600 audio samples per frame. For duet
and react the original (``partner``) is read over the same window and speed, so
the two stay in sync from the start; when it is shorter, its last frame is held
and its sound is silent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import geometry
from .errors import MediaError
from .feeds import FeedSpec
from .graph import FPS
from .job import RenderJob
from .probe import ProbeResult

SOUND_MARGIN = 0.5  # seconds of music decoded beyond the output's end
LENGTH_TOLERANCE_MS = 100  # a 15.03 s recording still fits a 15 s limit (cut to 15 s)


@dataclass(frozen=True)
class Timeline:
    """The kept window of the source (seconds) and the output's exact length."""

    start: float
    length: float
    speed: float
    frames: int

    @property
    def duration_ms(self) -> int:
        """The output's length in milliseconds."""
        return round(self.frames * 1000 / FPS)


def timeline(job: RenderJob, source: ProbeResult) -> Timeline:
    """Compute the timeline; raise ``trim_out_of_range`` or ``video_too_long``."""
    trim = job.spec.trim
    start_ms = trim.start_ms if trim else 0
    end_ms = (
        source.duration_ms
        if not trim or trim.end_ms is None
        else min(trim.end_ms, source.duration_ms)
    )
    if end_ms - start_ms < 100:
        raise MediaError(
            "trim_out_of_range",
            f"The trim starts at {start_ms / 1000:.1f} s "
            f"but the video is only {source.duration_ms / 1000:.1f} s long.",
        )
    speed = job.spec.speed
    output_ms = (end_ms - start_ms) / speed
    if output_ms > job.max_output_ms + LENGTH_TOLERANCE_MS:
        raise MediaError(
            "video_too_long",
            f"The edited video would be {output_ms / 1000:.1f} s "
            f"long; the limit is {job.max_output_ms / 1000:.1f} s. Trim it or "
            "speed it up.",
        )
    frames = min(max(1, round(output_ms * FPS / 1000)), math.floor(job.max_output_ms * FPS / 1000))
    return Timeline(
        start=start_ms / 1000, length=(end_ms - start_ms) / 1000, speed=speed, frames=frames
    )


def output_frame(
    job: RenderJob, source: ProbeResult, partner: ProbeResult | None
) -> tuple[int, int]:
    """The output's frame: fitted to the picture that fills it (see ``geometry``).

    single and duet: the recording's frame (in a duet the original is scaled to the
    recording's height); react: the original's frame (the reaction is a small box).
    """
    main = partner if job.layout.kind == "react" and partner is not None else source
    return geometry.output_frame(main.video.display_width, main.video.display_height)


def feed_specs(
    job: RenderJob, line: Timeline, source: ProbeResult, partner: ProbeResult | None
) -> list[FeedSpec]:
    """Which files to decode, over which windows."""
    keep_source_sound = job.spec.original_volume > 0 and source.audio is not None
    specs = [
        FeedSpec("source", job.source, line.start, line.length, line.speed, audio=keep_source_sound)
    ]
    if partner is not None:
        specs.append(
            FeedSpec(
                "partner",
                job.partner,
                line.start,
                line.length,
                line.speed,
                audio=partner.audio is not None,
            )
        )
    if job.spec.sound is not None:
        offset = job.spec.sound.offset_ms / 1000
        specs.append(
            FeedSpec(
                "sound", job.spec.sound.path, offset, line.frames / FPS + SOUND_MARGIN, video=False
            )
        )
    return specs
