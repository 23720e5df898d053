"""Taking an upload: check it, store the original, create the video, queue the render.

Everything that can be known at upload time is answered at once with a 4xx
naming the problem (too large, not a video, too long, bad edit); the rest is
decided by the render, which marks the video ``failed`` with a message.

Besides ``file``, an upload may carry more files that its edit names: takes
joined after it (``edit.clips[].upload``) and a voice-over
(``edit.voiceover.upload``). Each is checked like the main file (size, then a
sandboxed probe), and kept sealed beside the original (``ExtraOriginal``) so a
draft can be re-edited from all of them.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from clipdeck.accounts.models import User
from clipdeck.kernel.errors import DomainError, InvalidInput, Kind, TooManyRequests
from clipdeck.kernel.sealed_media import save_sealed
from clipdeck.studio import edits, scheduling
from clipdeck.studio.engine.errors import MediaError
from clipdeck.studio.engine.plan import LENGTH_TOLERANCE_MS
from clipdeck.studio.engine.probe import ProbeResult, VoiceoverInfo
from clipdeck.studio.engine.sandbox import safe_probe, safe_probe_voiceover
from clipdeck.studio.engine.spec import Layout as EngineLayout
from clipdeck.studio.engine.spec import SpecError
from clipdeck.studio.limits import (
    default_length_ms,
    length_options_ms,
    probe_limits,
    renders_in_flight_limit,
)
from clipdeck.studio.models import ExtraOriginal, Layout, RenderJob
from clipdeck.studio.tasks import enqueue_render
from clipdeck.videos.models import RemixKind, Video, VideoStatus
from clipdeck.videos.services import video_create

logger = logging.getLogger(__name__)

RENDERS_RETRY_AFTER_SECONDS = 30

MEDIA_ERROR_KINDS = {
    "file_too_large": Kind.TOO_LARGE,
    "not_a_video": Kind.UNSUPPORTED,
    "no_video_stream": Kind.UNSUPPORTED,
    "unsupported_codec": Kind.UNSUPPORTED,
    "not_audio": Kind.UNSUPPORTED,
}
MAX_EXTRA_FILES = 10  # nine more takes and a voice-over
AUDIO_SUFFIXES = {
    "mov,mp4,m4a,3gp,3g2,mj2": ".m4a",
    "matroska,webm": ".webm",
    "ogg": ".ogg",
    "mp3": ".mp3",
    "wav": ".wav",
    "aac": ".aac",
    "flac": ".flac",
}
# FFmpeg demuxer name (``ProbeResult.container``) -> the stored original's suffix.
# The suffix comes from the content, never from the name the client sent.
CONTAINER_SUFFIXES = {
    "mov,mp4,m4a,3gp,3g2,mj2": (".mp4", ".mov", ".m4v"),
    "matroska,webm": (".webm", ".mkv"),
    "avi": (".avi",),
    "mpegts": (".ts",),
    "flv": (".flv",),
    "ogg": (".ogv",),
}


@dataclass(frozen=True)
class VideoFields:
    """What the creator chose besides the file."""

    caption: str = ""
    visibility: str = "public"
    draft: bool = False
    allow_duet: bool = True
    allow_react: bool = True
    allow_stitch: bool = True
    allow_comments: bool = True
    edit: dict = field(default_factory=dict)
    length_ms: int | None = None
    publish_at: datetime | None = None  # scheduled posting: a draft until then


@dataclass(frozen=True)
class Remix:
    """The video being remixed, how, and the remix's own settings: the reaction's
    window (``pip``) or the part of the original a stitch starts with (``source_trim``)."""

    source: Video
    kind: RemixKind
    pip: dict = field(default_factory=dict)
    source_trim: dict | None = None


@dataclass(frozen=True)
class ExtraFile:
    """A checked take or voice-over, ready to keep: its kind, length and stored suffix."""

    upload: UploadedFile
    kind: str
    duration_ms: int
    suffix: str


def media_error_to_api(error: MediaError, *, field_name: str = "file") -> DomainError:
    """The domain error for a media problem found at upload time."""
    return DomainError(
        error.message,
        code=error.code,
        field=field_name,
        kind=MEDIA_ERROR_KINDS.get(error.code, Kind.INVALID),
    )


@contextlib.contextmanager
def _upload_on_disk(upload: UploadedFile) -> Iterator[str]:
    """A path to the uploaded bytes: the temporary file, or a copy of an in-memory one."""
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        yield copy.name


def _size_text(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1000:.1f} KB"


def _check_size(size: int, max_bytes: int) -> None:
    """Refuse empty and oversized uploads before spending a probe on them."""
    if size == 0:
        raise media_error_to_api(MediaError("empty_file", "The uploaded file is empty (0 bytes)."))
    if size > max_bytes:
        raise media_error_to_api(
            MediaError(
                "file_too_large",
                f"This file is {_size_text(size)}; "
                f"the largest video we accept is {_size_text(max_bytes)}.",
            )
        )


def _check_length_choice(length_ms: int | None) -> int:
    if length_ms is None:
        return default_length_ms()
    if length_ms not in length_options_ms():
        choices = ", ".join(f"{ms // 1000} s" for ms in length_options_ms())
        raise InvalidInput(
            f"The length limit must be one of {choices}.",
            code="invalid_length_limit",
            field="length_limit",
        )
    return length_ms


def _original_suffix(container: str, upload_name: str | None) -> str:
    """The client's suffix when it names the probed container, else the container's own."""
    suffixes = CONTAINER_SUFFIXES.get(container, (".bin",))
    claimed = Path(upload_name or "").suffix.lower()
    return claimed if claimed in suffixes else suffixes[0]


def _check_edited_length(edited_ms: int, limit_ms: int) -> None:
    if edited_ms > limit_ms + LENGTH_TOLERANCE_MS:
        raise InvalidInput(
            f"This video is {edited_ms / 1000:.1f} s after editing; the limit is "
            f"{limit_ms // 1000} s. Trim it, speed it up or choose a longer limit.",
            code="video_too_long",
            field="edit.trim",
        )
    if edited_ms < 500:
        raise InvalidInput(
            "The edited video must be at least half a second long.",
            code="video_too_short",
            field="edit.trim",
        )


def _check_renders_in_flight(author: User) -> None:
    """429 while ``author`` already has the allowed number of videos processing."""
    limit = renders_in_flight_limit()
    processing = Video.objects.filter(author=author, status=VideoStatus.PROCESSING).count()
    if processing >= limit:
        raise TooManyRequests(
            f"You already have {processing} videos processing; the most at once is {limit}. "
            "Wait until one is ready, then upload again.",
            code="too_many_renders",
            retry_after=RENDERS_RETRY_AFTER_SECONDS,
        )


def upload_video(
    *,
    author: User,
    upload: UploadedFile,
    fields: VideoFields,
    remix: Remix | None = None,
    extras: dict[str, UploadedFile] | None = None,
) -> Video:
    """Check and store an upload (and the takes and voice-over its edit names), create
    its video and queue the render."""
    limits = probe_limits()
    extras = extras or {}
    _check_renders_in_flight(author)
    _check_size(upload.size, limits.max_bytes)
    _check_extra_sizes(extras, upload.size, limits.max_bytes)
    length_ms = _check_length_choice(fields.length_ms)
    scheduling.check_publish_at(fields.publish_at)
    edit = edits.parse(fields.edit, viewer=author, files=dict.fromkeys(extras))
    _check_all_used(extras, edit)
    check_takes_allowed(edit, remix.kind.value if remix else Layout.SINGLE)
    pip = edits.parse_pip(remix.pip) if remix and remix.kind == RemixKind.REACT else {}
    source_trim, lead_ms = (
        stitch_part(remix) if remix and remix.kind == RemixKind.STITCH else ({}, 0)
    )
    with _upload_on_disk(upload) as path:
        try:
            probe = safe_probe(path, limits)
        except MediaError as error:
            raise media_error_to_api(error) from None
    checked = {name: _check_extra(edit, name, file, limits) for name, file in extras.items()}
    take_ms = {name: extra.duration_ms for name, extra in checked.items()}
    _check_edited_length(
        edits.edited_duration_ms(edit, probe.duration_ms, take_ms, lead_ms), length_ms
    )
    suffix = _original_suffix(probe.container, upload.name)
    return _create(
        author=author,
        upload=upload,
        fields=fields,
        edit=edit,
        pip=pip,
        remix=remix,
        length_ms=length_ms,
        suffix=suffix,
        extras=checked,
        source_trim=source_trim,
    )


def _check_extra_sizes(extras: dict[str, UploadedFile], main_bytes: int, max_bytes: int) -> None:
    """At most ``MAX_EXTRA_FILES``, each within the upload limit, and all the files of the
    request together too (a proxy in front is set to the upload limit: one request)."""
    if len(extras) > MAX_EXTRA_FILES:
        raise InvalidInput(
            f"At most {MAX_EXTRA_FILES} more files (takes and a voice-over) per video; "
            f"this upload has {len(extras)}.",
            code="too_many_files",
            field="file",
        )
    for name, extra in extras.items():
        try:
            _check_size(extra.size, max_bytes)
        except DomainError as error:
            raise DomainError(error.message, code=error.code, field=name, kind=error.kind) from None
    total = main_bytes + sum(extra.size for extra in extras.values())
    if extras and total > max_bytes:
        raise DomainError(
            f"These files are {_size_text(total)} together; one upload carries at most "
            f"{_size_text(max_bytes)}.",
            code="file_too_large",
            field="file",
            kind=Kind.TOO_LARGE,
        )


def check_takes_allowed(edit: edits.Edit, layout: str) -> None:
    """A duet or a reaction is one recording beside or over the original: no takes."""
    if edit.spec.clips and layout in (Layout.DUET, Layout.REACT):
        raise InvalidInput(
            "A duet or a reaction is one recording: several takes cannot be joined in it.",
            code="invalid_edit",
            field="edit.clips",
        )


def _check_all_used(extras: dict[str, UploadedFile], edit: edits.Edit) -> None:
    """A file the edit does not name would be kept for nothing: refuse it."""
    for name in extras:
        if name not in edit.uploads:
            raise InvalidInput(
                f"The file {name!r} is not used by the edit: name it in edit.clips or "
                "edit.voiceover, or leave it out.",
                code="unused_file",
                field=name,
            )


def _check_extra(edit: edits.Edit, name: str, extra: UploadedFile, limits) -> ExtraFile:
    """Probe a take as a video, a voice-over as a sound (sandboxed, like the main file)."""
    kind = edit.uploads[name]
    with _upload_on_disk(extra) as path:
        try:
            if kind == edits.TAKE:
                probe: ProbeResult = safe_probe(path, limits)
                suffix = _original_suffix(probe.container, extra.name)
                return ExtraFile(extra, kind, probe.duration_ms, suffix)
            voice: VoiceoverInfo = safe_probe_voiceover(path, limits)
        except MediaError as error:
            raise media_error_to_api(error, field_name=name) from None
    return ExtraFile(extra, kind, voice.duration_ms, AUDIO_SUFFIXES.get(voice.container, ".bin"))


def stitch_part(remix: Remix) -> tuple[dict, int]:
    """The part of the original a stitch starts with, checked against the original's
    length: ``({start_ms, end_ms}, its length in ms)``."""
    try:
        layout = EngineLayout.from_dict({"kind": "stitch", "source_trim": remix.source_trim})
    except SpecError as error:
        raise InvalidInput(
            error.message,
            code="invalid_source_trim",
            field=error.field.removeprefix("layout."),
        ) from None
    trim, length = layout.source_trim, remix.source.duration_ms
    if trim.start_ms >= length - 100:
        raise InvalidInput(
            f"The stitched part starts at {trim.start_ms / 1000:.1f} s but the video is only "
            f"{length / 1000:.1f} s long.",
            code="invalid_source_trim",
            field="source_trim.start_ms",
        )
    kept = min(trim.end_ms, length) - trim.start_ms
    return {"start_ms": trim.start_ms, "end_ms": trim.end_ms}, kept


@transaction.atomic
def _create(
    *,
    author,
    upload,
    fields: VideoFields,
    edit: edits.Edit,
    pip: dict,
    remix: Remix | None,
    length_ms: int,
    suffix: str,
    extras: dict[str, ExtraFile],
    source_trim: dict,
) -> Video:
    list(User.objects.select_for_update().filter(pk=author.pk).values_list("pk"))  # one at a time
    _check_renders_in_flight(author)  # again, now that concurrent uploads are serialised
    video = video_create(
        author=author,
        caption=fields.caption,
        visibility=fields.visibility,
        draft=fields.draft or fields.publish_at is not None,
        allow_duet=fields.allow_duet,
        allow_react=fields.allow_react,
        allow_stitch=fields.allow_stitch,
        allow_comments=fields.allow_comments,
        edit=edit.as_api_dict(),
        sound=edit.sound,
        remix_of=remix.source if remix else None,
        remix_kind=remix.kind if remix else RemixKind.NONE,
    )
    # The original is kept sealed with the author's key (kernel/sealed_media.py).
    name = video.original.field.generate_filename(video, f"{video.pk}/source{suffix}")
    with _upload_on_disk(upload) as path:
        video.original = save_sealed(video.original.storage, name, path, author)
    video.save(update_fields=["original"])
    for upload_name, extra in extras.items():
        _keep_extra(video, author, upload_name, extra)
    if fields.publish_at is not None:
        scheduling.schedule(video, fields.publish_at)
    RenderJob.objects.create(
        video=video,
        layout=Layout(remix.kind.value) if remix else Layout.SINGLE,
        pip=pip,
        source_trim=source_trim,
        max_output_ms=length_ms,
    )
    transaction.on_commit(lambda: enqueue_render(video.pk))
    logger.info("upload accepted video=%s bytes=%s", video.pk, upload.size)
    return video


def _keep_extra(video: Video, author: User, upload_name: str, extra: ExtraFile) -> None:
    """Keep a take or the voice-over sealed beside the original."""
    row = ExtraOriginal(video=video, upload=upload_name, kind=extra.kind)
    row.duration_ms = extra.duration_ms
    # "take-"/"voiceover-" keeps a file called "source" clear of the main original.
    stored = f"{video.pk}/{extra.kind}-{upload_name}{extra.suffix}"
    name = row.file.field.generate_filename(row, stored)
    with _upload_on_disk(extra.upload) as path:
        row.file = save_sealed(row.file.storage, name, path, author)
    row.save()
