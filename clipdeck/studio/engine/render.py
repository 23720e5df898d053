"""``render``: one edit of one recording (or a duet/react remix) into publishable files.

Stages, each timed: probe the inputs; decode once, filter once and encode the
main MP4, the 720-wide rendition and the poster together (see ``pipeline``);
copy the sound file out of the main MP4 (and the main MP4 itself as the
rendition when it is already at most 720 wide); then rename every temporary file
into place (``atomic``), main MP4 last.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import replace

from . import geometry, pipeline
from .atomic import AtomicOutputs
from .feeds import Feed
from .graph import FPS, GraphPlan, PartInput, PictureInput, SoundInput, build
from .job import OutputFile, RenderJob, RenderResult
from .limits import Limits
from .overlays import draw_overlays
from .plan import Part, Timeline, feed_specs, is_joined, joined_parts, output_frame, timeline
from .probe import ProbeResult, probe, probe_sound, probe_voiceover
from .renditions import POSTER_AT, copy_rendition, extract_audio


def render(job: RenderJob, limits: Limits | None = None) -> RenderResult:
    """Render ``job``; return a :class:`RenderResult` or raise :class:`MediaError`.

    Runs in the calling process: use ``sandbox.safe_render`` for untrusted files.
    """
    limits = limits or Limits()
    timings: dict[str, float] = {}
    with _stage(timings, "probe"):
        source, partner, takes = _probe_inputs(job, limits)
    parts = None
    if is_joined(job):
        parts, line = joined_parts(job, source, partner, takes)
    else:
        line = timeline(job, source)
    frame = output_frame(job, source, partner)
    with AtomicOutputs(_finals(job)) as out:
        with _stage(timings, "render"):
            sizes = _render_main(job, line, frame, source, partner, out, parts)
        _derived(job, out, timings, sizes)
        out.commit()
    outputs = {name: _describe(path, sizes.get(name)) for name, path in _finals(job).items()}
    return RenderResult(
        duration_ms=line.duration_ms,
        width=frame[0],
        height=frame[1],
        outputs=outputs,
        timings=timings,
        source=source,
    )


@contextmanager
def _stage(timings: dict[str, float], name: str):
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = round(time.perf_counter() - started, 3)


def _probe_inputs(job: RenderJob, limits: Limits):
    source = probe(job.source, limits)
    partner = probe(job.partner, limits) if job.partner else None
    takes = [probe(clip.path, limits) for clip in job.spec.clips]
    if job.spec.sound is not None:
        probe_sound(job.spec.sound.path, limits)
    if job.spec.voiceover is not None:
        probe_voiceover(job.spec.voiceover.path, limits)
    return source, partner, takes


def _finals(job: RenderJob) -> dict[str, str]:
    """Outputs to write, the main MP4 last (it is committed last)."""
    o = job.outputs
    extras = {"mp4_720": o.mp4_720, "poster": o.poster, "audio": o.audio}
    return {**{k: v for k, v in extras.items() if v}, "mp4": o.mp4}


def _render_main(
    job: RenderJob,
    line: Timeline,
    frame: tuple[int, int],
    source: ProbeResult,
    partner: ProbeResult | None,
    out: AtomicOutputs,
    parts: list[Part] | None = None,
) -> dict:
    targets = _targets(job, line, frame, out)
    feeds: list[Feed] = []
    try:
        for spec in feed_specs(job, line, source, partner, parts):
            feeds.append(Feed(spec))
        plan = _graph_plan(job, line, frame, feeds, source, partner, targets.rendition_size)
        if parts:
            plan = _joined_plan(plan, parts, feeds)
        built = build(plan)
    except BaseException:
        for feed in feeds:
            feed.container.close()
        raise
    return pipeline.run(built, feeds, targets, line.frames)


def _targets(job: RenderJob, line: Timeline, frame, out: AtomicOutputs) -> pipeline.Targets:
    """The main MP4; the rendition when it is smaller than the main frame; the poster."""
    small = geometry.rendition_frame(frame) if job.outputs.mp4_720 else None
    poster_at = min(POSTER_AT, line.frames / FPS / 2)
    return pipeline.Targets(
        path=out.temp("mp4"),
        size=frame,
        rendition_path=out.temp("mp4_720") if small else None,
        rendition_size=small,
        poster_path=out.temp("poster") if job.outputs.poster else None,
        poster_index=min(line.frames - 1, round(poster_at * FPS)),
    )


def _graph_plan(job, line, frame, feeds, source, partner, rendition=None) -> GraphPlan:
    by_key = {feed.spec.key: feed for feed in feeds}
    probes = {"source": source, "partner": partner}
    pictures = tuple(
        PictureInput(
            key,
            by_key[key].video,
            probes[key].video.rotation,
            (probes[key].video.display_width, probes[key].video.display_height),
        )
        for key in ("source", "partner")
        if key in by_key
    )
    volumes = {
        "source": job.spec.original_volume,
        "partner": 1.0,
        "sound": job.spec.sound.volume if job.spec.sound else 0.0,
        "voiceover": job.spec.voiceover.volume if job.spec.voiceover else 0.0,
    }
    sounds = tuple(
        SoundInput(
            f.spec.key, f.audio, volumes[f.spec.key], f.spec.key not in ("sound", "voiceover")
        )
        for f in feeds
        if f.audio is not None and f.spec.key in volumes
    )
    pip = job.layout.pip
    return GraphPlan(
        layout=job.layout.kind,
        pictures=pictures,
        sounds=sounds,
        frame=frame,
        speed=line.speed,
        window_seconds=line.length,
        frames=line.frames,
        preset=job.spec.filter,
        pip=(pip.x, pip.y, pip.width) if pip else (0.05, 0.05, 0.35),
        rendition=rendition,
        overlays=tuple(draw_overlays(job.spec, frame)),
    )


def _joined_plan(plan: GraphPlan, parts: list[Part], feeds: list[Feed]) -> GraphPlan:
    """The plan for joined parts: each part's streams, in order, joined by ``concat``."""
    by_key = {feed.spec.key: feed for feed in feeds}
    inputs = tuple(
        PartInput(
            key=part.key,
            stream=by_key[part.key].video,
            audio=by_key[part.key].audio,
            rotation=part.probe.video.rotation,
            display=(part.probe.video.display_width, part.probe.video.display_height),
            speed=part.speed,
            window_seconds=part.length,
            frames=part.frames,
            volume=part.volume,
        )
        for part in parts
    )
    return replace(plan, layout="joined", pictures=(), parts=inputs)


def _derived(job: RenderJob, out: AtomicOutputs, timings: dict[str, float], sizes: dict) -> None:
    """Copy what the render did not write from the main file: the rendition when the
    main frame is already that small, and the sound; record their picture sizes."""
    main = out.temp("mp4")
    if job.outputs.mp4_720 and "mp4_720" not in sizes:
        with _stage(timings, "rendition"):
            copy_rendition(main, out.temp("mp4_720"))
            sizes["mp4_720"] = sizes["mp4"]
    if job.outputs.audio:
        with _stage(timings, "audio"):
            extract_audio(main, out.temp("audio"))


def _describe(path: str, size: tuple[int, int] | None) -> OutputFile:
    width, height = size if size else (None, None)
    return OutputFile(path=path, size_bytes=os.path.getsize(path), width=width, height=height)
