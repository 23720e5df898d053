"""Re-editing a draft: a new edit, rendered again from the kept original.

Connected to ``videos.signals.edit_requested`` (see ``StudioConfig.ready``). The
new edit is validated as on upload (the same messages, ``edit.*`` fields), its
length checked against the original and the job's length limit, then the draft
goes back to ``processing`` with a fresh render job; when the render finishes it
is a draft again (or fails, keeping the message). Published videos are never
re-rendered: the videos service refuses before this runs.

The new edit may name any take or voice-over kept with the draft (by the upload
name it had), in any order, or leave some out (they stay kept); no new file can
come with a PATCH. A stitch keeps the part of the original it starts with.
Stored captions follow the new trim, speed and order of takes (``caption_timing``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from clipdeck.studio import caption_timing, edits
from clipdeck.studio.engine.errors import MediaError
from clipdeck.studio.engine.sandbox import safe_probe
from clipdeck.studio.limits import probe_limits
from clipdeck.studio.models import ExtraOriginal, RenderJob
from clipdeck.studio.originals import original_path
from clipdeck.studio.tasks import enqueue_render
from clipdeck.studio.uploads import _check_edited_length, check_takes_allowed, media_error_to_api
from clipdeck.videos.models import Video, VideoStatus


def on_edit_requested(sender, *, video: Video, edit: dict, **kwargs) -> None:
    """Signal receiver: validate ``edit`` and queue the draft's new render."""
    kept = list(ExtraOriginal.objects.filter(video=video))
    files = {row.upload: row.kind for row in kept}
    parsed = edits.parse(edit, viewer=video.author, files=files)
    job = RenderJob.objects.get(video=video)
    check_takes_allowed(parsed, job.layout)
    with original_path(video) as path:
        try:
            source = safe_probe(path, probe_limits())
        except MediaError as error:
            raise media_error_to_api(error) from None
    take_ms = {row.upload: row.duration_ms for row in kept}
    edited_ms = edits.edited_duration_ms(parsed, source.duration_ms, take_ms, _lead_ms(video, job))
    _check_edited_length(edited_ms, job.max_output_ms)
    old_edit = dict(video.edit)
    with transaction.atomic():
        updated = Video.objects.filter(
            pk=video.pk, status__in=(VideoStatus.DRAFT, VideoStatus.FAILED)
        ).update(
            status=VideoStatus.PROCESSING,
            keep_as_draft=True,
            edit=parsed.as_api_dict(),
            sound=parsed.sound,
            error_code="",
            error_message="",
        )
        if updated:
            lengths = {caption_timing.MAIN: source.duration_ms, **take_ms}
            stitch = job.source_trim if job.layout == "stitch" else None
            if stitch:
                lengths[caption_timing.STITCHED] = _stitched_length(video, job)
            old = caption_timing.parts(old_edit, lengths, stitch)
            new = caption_timing.parts(parsed.as_api_dict(), lengths, stitch)
            caption_timing.follow_edit(video, old, new, edited_ms)
            RenderJob.objects.filter(pk=job.pk).update(
                attempts=0,
                lease_until=None,
                enqueued_at=timezone.now(),
                started_at=None,
                finished_at=None,
            )
            transaction.on_commit(lambda: enqueue_render(video.pk))
    video.refresh_from_db()


def _lead_ms(video: Video, job: RenderJob) -> int:
    """How long a stitch's part of the original lasts (0 for anything else)."""
    trim = job.source_trim
    if job.layout != "stitch" or not trim:
        return 0
    return max(0, min(trim["end_ms"], _stitched_length(video, job)) - trim["start_ms"])


def _stitched_length(video: Video, job: RenderJob) -> int:
    return video.remix_of.duration_ms if video.remix_of else job.source_trim["end_ms"]
