"""Rendering a video in a worker: claim, render in the sandbox, publish atomically.

The steps, each safe to repeat:

1. claim the job (a lease; nobody else renders it meanwhile);
2. render into a private work folder with the sandboxed engine;
3. store the outputs (atomic saves: no half file under a real name) and point
   the video at them in one conditional update, only if it is still processing;
4. on bad media, mark the video ``failed`` with the engine's message; on a crash,
   give the job back so another attempt runs, up to the attempt limit;
5. once published or failed, delete stored files of earlier attempts that nothing
   references (``leftovers``).

A worker killed at any point leaves the video ``processing`` with a lease that
runs out; ``leases.requeue_stalled`` queues it again and the next worker
finishes it.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clipdeck.kernel.sealed_media import save_sealed
from clipdeck.kernel.storage import local_path
from clipdeck.studio import captions, leases, leftovers
from clipdeck.studio.engine.errors import MediaError
from clipdeck.studio.engine.job import RenderJob as EngineJob
from clipdeck.studio.engine.job import RenderOutputs, RenderResult
from clipdeck.studio.engine.sandbox import safe_render
from clipdeck.studio.engine.spec import EditSpec, Layout, Pip, Trim
from clipdeck.studio.limits import render_limits
from clipdeck.studio.models import Captions, RenderJob
from clipdeck.studio.originals import extra_original_paths, original_path
from clipdeck.videos.models import Sound, Video, VideoStatus
from clipdeck.videos.services import video_mark_ready

logger = logging.getLogger(__name__)

OUTPUT_NAMES = {
    "mp4": "video.mp4",
    "mp4_720": "video-720.mp4",
    "poster": "poster.jpg",
    "audio": "sound.m4a",
}


def render(video_id) -> None:
    """Render ``video_id`` if it still needs it and nobody else is on it."""
    job = leases.claim(video_id)
    if job is None:
        logger.info("render %s: nothing to do (done, gone or held elsewhere)", video_id)
        return
    if job.attempts > settings.CLIPDECK_RENDER_MAX_ATTEMPTS:
        _fail(
            job,
            MediaError(
                "processing_failed",
                "We could not process this video after several tries. Please upload it again.",
            ),
        )
        return
    started = time.monotonic()
    try:
        with (
            leases.Heartbeat(job),
            tempfile.TemporaryDirectory(prefix=leftovers.work_prefix()) as work,
        ):
            result = _render_in_sandbox(job, Path(work))
            _publish(job, result)
    except MediaError as error:
        _fail(job, error)
    except Exception:
        logger.exception("render %s crashed on attempt %d", video_id, job.attempts)
        leases.release(job)
        raise
    logger.info(
        "render %s done in %.2fs (attempt %d)", video_id, time.monotonic() - started, job.attempts
    )


def _engine_spec(
    edit: dict,
    sound_path: str | None,
    uploads: dict[str, str] | None = None,
    cues: list[dict] | None = None,
) -> EditSpec:
    """The stored API edit with the sound id replaced by its local file, each take's and
    the voice-over's upload name by its kept original (``uploads``), and
    ``burn_captions`` by the video's caption cues."""
    data = {k: v for k, v in edit.items() if k not in ("sound", "burn_captions")}
    if edit.get("sound") and sound_path:
        data["sound"] = {
            "path": sound_path,
            "offset_ms": edit["sound"].get("offset_ms", 0),
            "volume": edit["sound"].get("volume", 1.0),
        }
    uploads = uploads or {}
    if edit.get("clips"):
        data["clips"] = [
            {"path": _kept(uploads, clip["upload"]), "trim": clip.get("trim")}
            for clip in edit["clips"]
        ]
    if edit.get("voiceover"):
        voice = edit["voiceover"]
        data["voiceover"] = {"path": _kept(uploads, voice["upload"]), "volume": voice["volume"]}
    if cues:
        data["captions"] = cues
    return EditSpec.from_dict(data)


def _kept(uploads: dict[str, str], name: str) -> str:
    if name not in uploads:
        raise MediaError(
            "processing_failed", f"The uploaded file {name!r} of this video is no longer kept."
        )
    return uploads[name]


def _burnt_cues(video: Video) -> list[dict]:
    """The video's captions as cues to draw, when its edit asks for them."""
    if not video.edit.get("burn_captions"):
        return []
    stored = Captions.objects.filter(video=video).first()
    if stored is None:
        return []
    return [
        {"start_ms": cue.start_ms, "end_ms": cue.end_ms, "text": cue.text}
        for cue in captions.parse(stored.vtt)
    ]


def _upload_names(edit: dict) -> list[str]:
    names = [clip["upload"] for clip in edit.get("clips") or ()]
    return names + ([edit["voiceover"]["upload"]] if edit.get("voiceover") else [])


def _layout(job: RenderJob) -> Layout:
    if job.layout == "react":
        return Layout(kind="react", pip=Pip(**job.pip) if job.pip else Pip())
    if job.layout == "stitch":
        return Layout(kind="stitch", source_trim=Trim(**job.source_trim))
    return Layout(kind=job.layout)


def _render_in_sandbox(job: RenderJob, work: Path) -> RenderResult:
    video = job.video
    outputs = RenderOutputs(**{k: str(work / name) for k, name in OUTPUT_NAMES.items()})
    with contextlib.ExitStack() as stack:
        source = stack.enter_context(original_path(video))
        partner = _partner_path(stack, video) if job.layout != "single" else None
        sound_path = None
        if video.edit.get("sound") and video.sound and video.sound.audio:
            sound_path = stack.enter_context(
                local_path(video.sound.audio.storage, video.sound.audio.name)
            )
        uploads = stack.enter_context(extra_original_paths(video, _upload_names(video.edit)))
        engine_job = EngineJob(
            source=source,
            outputs=outputs,
            spec=_engine_spec(video.edit, sound_path, uploads, _burnt_cues(video)),
            layout=_layout(job),
            partner=partner,
            max_output_ms=job.max_output_ms,
        )
        return safe_render(engine_job, render_limits(job.max_output_ms))


def _partner_path(stack: contextlib.ExitStack, video: Video) -> str:
    source = video.remix_of
    if source is None or not source.mp4:
        raise MediaError(
            "processing_failed",
            f"The original video of this {video.remix_kind} is no longer available.",
        )
    return stack.enter_context(local_path(source.mp4.storage, source.mp4.name))


def _store(video: Video, result: RenderResult) -> dict[str, str]:
    """Save each output under a fresh name; returns field → stored name."""
    token = secrets.token_hex(4)
    stored = {}
    for name, output in result.outputs.items():
        suffix = Path(output.path).suffix
        target = f"{'sounds' if name == 'audio' else 'videos'}/{video.pk}/{name}-{token}{suffix}"
        # Every output is sealed with the author's key, public or not (docs/privacy.md).
        stored[name] = save_sealed(video.mp4.storage, target, output.path, video.author_id)
    return stored


def _publish(job: RenderJob, result: RenderResult) -> None:
    video = job.video
    stored = _store(video, result)
    old = [getattr(video, f).name for f in ("mp4", "mp4_720", "poster") if getattr(video, f)]
    with transaction.atomic():
        still_processing = Video.objects.filter(pk=video.pk, status=VideoStatus.PROCESSING)
        updated = still_processing.update(
            mp4=stored["mp4"],
            mp4_720=stored.get("mp4_720", ""),
            poster=stored.get("poster", ""),
            duration_ms=result.duration_ms,
            width=result.width,
            height=result.height,
        )
        if not updated:  # deleted or finished by another worker meanwhile
            transaction.on_commit(lambda: _delete_files(stored.values()))
            return
        video.refresh_from_db()
        _attach_original_sound(video, stored.get("audio"), result.duration_ms)
        video_mark_ready(video=video)
        leases.release(job, finished_at=timezone.now(), timings=result.timings)
        transaction.on_commit(lambda: _delete_files(old))
        transaction.on_commit(lambda: leftovers.delete_unreferenced_outputs(video))


def _attach_original_sound(video: Video, audio_name: str | None, duration_ms: int) -> None:
    """The video's own audio becomes a reusable sound, unless it used a library sound."""
    if audio_name is None or video.sound_id:
        if audio_name:
            transaction.on_commit(lambda: _delete_files([audio_name]))
        return
    earlier = Sound.objects.filter(source_video=video, is_original=True).first()
    if earlier is not None:  # a re-edited draft: its sound is replaced, not added
        replaced = earlier.audio.name
        Sound.objects.filter(pk=earlier.pk).update(audio=audio_name, duration_ms=duration_ms)
        Video.objects.filter(pk=video.pk).update(sound=earlier)
        video.sound = earlier
        transaction.on_commit(lambda: _delete_files([replaced]))
        return
    sound = Sound.objects.create(
        title=f"Original sound – {video.author.name}",
        artist=f"@{video.author.handle}",
        duration_ms=duration_ms,
        audio=audio_name,
        is_original=True,
        created_by=video.author,
        source_video=video,
    )
    Video.objects.filter(pk=video.pk).update(sound=sound)
    video.sound = sound


def _fail(job: RenderJob, error: MediaError) -> None:
    video = job.video
    logger.warning("render %s failed: %s (%s)", video.pk, error.code, error.message)
    Video.objects.filter(pk=video.pk, status=VideoStatus.PROCESSING).update(
        status=VideoStatus.FAILED, error_code=error.code, error_message=error.message
    )
    leases.release(job, finished_at=timezone.now())
    if (current := Video.objects.filter(pk=video.pk).first()) is not None:
        leftovers.delete_unreferenced_outputs(current)  # of an earlier, killed attempt


def _delete_files(names) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)
