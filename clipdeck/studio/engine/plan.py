"""Turn a job and its probes into a timeline: what to read, how long the output is.

All lengths follow the recording (``source``): the trim selects a window of it,
speed divides the window's length, and the output has exactly
``round(window / speed * 30)`` frames and 1600 audio samples per frame. For duet
and react the original (``partner``) is read over the same window and speed, so
the two stay in sync from the start; when it is shorter, its last frame is held
and its sound is silent.

Several takes (``spec.clips``) and stitches are *joined parts*: the stitched
part of the original (``layout.source_trim``, at its own speed), then the
recording (``spec.trim``), then each take (its own trim), each at ``spec.speed``.
Each part lasts ``round(window / speed * 30)`` frames and starts where the one
before ended; the output lasts their sum.
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
from .spec import Trim

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
    start_ms, end_ms = _window(job.spec.trim, source, "the video is")
    speed = job.spec.speed
    output_ms = (end_ms - start_ms) / speed
    frames = _limited_frames(job, output_ms, round(output_ms * FPS / 1000))
    return Timeline(
        start=start_ms / 1000, length=(end_ms - start_ms) / 1000, speed=speed, frames=frames
    )


@dataclass(frozen=True)
class Part:
    """One joined part: which file, which window of it, at which speed and volume, and
    where it lands on the output (``offset`` seconds, ``frames`` long)."""

    key: str
    path: str
    probe: ProbeResult
    start: float
    length: float
    speed: float
    volume: float
    frames: int
    offset: float


def is_joined(job: RenderJob) -> bool:
    """Whether the output joins parts one after another (takes, a stitch)."""
    return job.layout.kind == "stitch" or bool(job.spec.clips)


def joined_parts(
    job: RenderJob, source: ProbeResult, partner: ProbeResult | None, takes: list[ProbeResult]
) -> tuple[list[Part], Timeline]:
    """The parts in order and the whole timeline; raise ``trim_out_of_range`` (naming
    the part) or ``video_too_long`` (for their sum)."""
    spec = job.spec
    pieces: list[tuple[str, ProbeResult, Trim | None, float, float, str]] = []
    if job.layout.kind == "stitch" and partner is not None:
        pieces.append((job.partner, partner, job.layout.source_trim, 1.0, 1.0, "the original is"))
    first = "the video is" if not spec.clips else "take 1 is"
    pieces.append((job.source, source, spec.trim, spec.speed, spec.original_volume, first))
    for number, (clip, probe) in enumerate(zip(spec.clips, takes, strict=True), start=2):
        pieces.append(
            (clip.path, probe, clip.trim, spec.speed, spec.original_volume, f"take {number} is")
        )
    parts, offset, output_ms = [], 0.0, 0.0
    for index, (path, probe, trim, speed, volume, name) in enumerate(pieces):
        start_ms, end_ms = _window(trim, probe, name)
        frames = max(1, round((end_ms - start_ms) / speed * FPS / 1000))
        parts.append(
            Part(
                f"part{index}",
                path,
                probe,
                start_ms / 1000,
                (end_ms - start_ms) / 1000,
                speed,
                volume,
                frames,
                offset,
            )
        )
        offset += frames / FPS
        output_ms += (end_ms - start_ms) / speed
    total = sum(part.frames for part in parts)
    frames = _limited_frames(job, output_ms, total)
    return parts, Timeline(start=0.0, length=total / FPS, speed=1.0, frames=frames)


def _window(trim: Trim | None, probe: ProbeResult, name: str) -> tuple[int, int]:
    start_ms = trim.start_ms if trim else 0
    end_ms = (
        probe.duration_ms
        if not trim or trim.end_ms is None
        else min(trim.end_ms, probe.duration_ms)
    )
    if end_ms - start_ms < 100:
        raise MediaError(
            "trim_out_of_range",
            f"The trim starts at {start_ms / 1000:.1f} s "
            f"but {name} only {probe.duration_ms / 1000:.1f} s long.",
        )
    return start_ms, end_ms


def _limited_frames(job: RenderJob, output_ms: float, frames: int) -> int:
    if output_ms > job.max_output_ms + LENGTH_TOLERANCE_MS:
        raise MediaError(
            "video_too_long",
            f"The edited video would be {output_ms / 1000:.1f} s "
            f"long; the limit is {job.max_output_ms / 1000:.1f} s. Trim it or "
            "speed it up.",
        )
    return min(max(1, frames), math.floor(job.max_output_ms * FPS / 1000))


def output_frame(
    job: RenderJob, source: ProbeResult, partner: ProbeResult | None
) -> tuple[int, int]:
    """The output's frame: fitted to the picture that fills it (see ``geometry``).

    single, duet and stitch: the recording's frame (in a duet the original is scaled
    to the recording's height; joined parts are fitted into it); react: the
    original's frame (the reaction is a small box).
    """
    main = partner if job.layout.kind == "react" and partner is not None else source
    return geometry.output_frame(main.video.display_width, main.video.display_height)


def feed_specs(
    job: RenderJob,
    line: Timeline,
    source: ProbeResult,
    partner: ProbeResult | None,
    parts: list[Part] | None = None,
) -> list[FeedSpec]:
    """Which files to decode, over which windows."""
    if parts:
        specs = [_part_feed(part) for part in parts]
    else:
        specs = _layout_feeds(job, line, source, partner)
    if job.spec.sound is not None:
        offset = job.spec.sound.offset_ms / 1000
        specs.append(
            FeedSpec(
                "sound", job.spec.sound.path, offset, line.frames / FPS + SOUND_MARGIN, video=False
            )
        )
    if job.spec.voiceover is not None:
        specs.append(
            FeedSpec(
                "voiceover",
                job.spec.voiceover.path,
                0.0,
                line.frames / FPS + SOUND_MARGIN,
                video=False,
            )
        )
    return specs


def _layout_feeds(
    job: RenderJob, line: Timeline, source: ProbeResult, partner: ProbeResult | None
) -> list[FeedSpec]:
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
    return specs


def _part_feed(part: Part) -> FeedSpec:
    """A joined part's window; its end is queued at its length on the output, so the
    filter loop closes it before the next part's first frame (``concat`` takes the
    parts in turn and would otherwise hold the next one's frames)."""
    return FeedSpec(
        part.key,
        part.path,
        part.start,
        part.length,
        part.speed,
        audio=part.volume > 0 and part.probe.audio is not None,
        offset=part.offset,
        end_at=part.offset + part.length / part.speed,
    )
