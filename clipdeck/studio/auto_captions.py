"""Auto-captions: the owner asks, a worker listens, the owner reviews, then they show.

``request`` (the API) records the ask and queues ``studio.tasks.auto_caption``;
``transcribe_video`` (the worker) hears the published sound of the video (the
rendered MP4, so the times match what viewers hear, speed and trim included),
groups the words into cues and stores them as a suggestion. A suggestion is the
owner's alone until they PUT the reviewed text to the video's captions
(``mark_accepted``). Whatever happens here, the published captions are never
touched: a failed or crashed job leaves them as they were.
"""

from __future__ import annotations

import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clipdeck.inbox.services import notify
from clipdeck.kernel.errors import Conflict, TooManyRequests
from clipdeck.kernel.storage import local_path
from clipdeck.studio import captions, speech
from clipdeck.studio.limits import renders_in_flight_limit
from clipdeck.studio.models import AutoCaptions
from clipdeck.studio.models import AutoCaptionsStatus as S
from clipdeck.videos.models import Video

log = logging.getLogger(__name__)

# A job queued or running longer than this is taken for dead (its worker was
# killed): asking again starts a new one.
STALE_AFTER = timedelta(minutes=10)
RETRY_AFTER_SECONDS = 30
NO_SOUND = "This video has no sound, so there is nothing to caption."
NO_SPEECH = "No speech was heard in this video. You can still write captions yourself."
FAILED = "Auto-captions could not be made this time; your captions are unchanged. Try again later."


def request(video: Video) -> AutoCaptions:
    """Queue a transcription of ``video`` (its owner asked); the job already under way
    when there is one."""
    if not video.mp4:
        raise Conflict(
            "This video is still being made; ask for captions once it is ready.",
            code="video_not_ready",
        )
    with transaction.atomic():
        row, created = AutoCaptions.objects.select_for_update().get_or_create(video=video)
        fresh = timezone.now() - row.requested_at < STALE_AFTER
        if not created and row.status in (S.QUEUED, S.RUNNING) and fresh:
            return row
        _check_in_flight(video)
        row.status, row.vtt, row.message = S.QUEUED, "", ""
        row.requested_at, row.finished_at = timezone.now(), None
        row.save()
        transaction.on_commit(lambda: _enqueue(video.pk))
    return row


def _check_in_flight(video: Video) -> None:
    """429 while the owner already has as many transcriptions under way as they may
    have renders (``CLIPDECK_MAX_RENDERS_IN_FLIGHT``): each takes a worker's core."""
    limit = renders_in_flight_limit()
    busy = (
        AutoCaptions.objects.filter(
            video__author_id=video.author_id,
            status__in=(S.QUEUED, S.RUNNING),
            requested_at__gte=timezone.now() - STALE_AFTER,
        )
        .exclude(video=video)
        .count()
    )
    if busy >= limit:
        raise TooManyRequests(
            f"You already have {busy} videos being captioned; the most at once is {limit}. "
            "Ask again when one is ready.",
            code="too_many_auto_captions",
            retry_after=RETRY_AFTER_SECONDS,
        )


def _enqueue(video_id) -> None:
    from clipdeck.studio.tasks import auto_caption

    auto_caption.enqueue(str(video_id))


def mark_accepted(video: Video) -> None:
    """The owner published captions: the suggestion has been reviewed."""
    AutoCaptions.objects.filter(video=video, status=S.READY).update(status=S.ACCEPTED)


def transcribe_video(video_id: str) -> str:
    """The worker's job: hear the video and store the suggestion; the status it ends in."""
    claimed = AutoCaptions.objects.filter(video_id=video_id, status__in=(S.QUEUED, S.RUNNING))
    if not claimed.update(status=S.RUNNING):
        return "gone"  # deleted, or already done by another run
    video = Video.objects.select_related("author").filter(pk=video_id).first()
    if video is None:
        return "gone"
    try:
        status, vtt, message = _hear(video)
    except Exception:
        log.exception("auto-captions failed for video %s", video_id)
        status, vtt, message = S.FAILED, "", FAILED
    sealed = AutoCaptions._meta.get_field("vtt").seal(video.author_id, vtt)
    AutoCaptions.objects.filter(video_id=video_id, status=S.RUNNING).update(
        status=status, vtt=sealed, message=message, finished_at=timezone.now()
    )
    notify(video.author, "captions", video=video, message=_news(status, message))
    return status


def _hear(video: Video) -> tuple[str, str, str]:
    try:
        with local_path(video.mp4.storage, video.mp4.name) as path:
            pcm = speech.load_pcm(path)
    except speech.NoSoundTrack:
        return S.EMPTY, "", NO_SOUND
    words = recognizer().words(pcm)
    if not words:
        return S.EMPTY, "", NO_SOUND if _source_is_silent(video) else NO_SPEECH
    cues = _within(captions.cues_from_words(words), video.duration_ms)
    count = len(cues)
    message = (
        f"{len(words)} words in {count} caption{'s' if count != 1 else ''}. "
        "Check them, fix what was misheard, and publish them: until then only you see them."
    )
    return S.READY, captions.write(cues), message


def _within(cues: list[captions.Cue], duration_ms: int) -> list[captions.Cue]:
    """Cues cut to the video's length (padding can reach past its last frame)."""
    if not duration_ms:
        return cues
    kept = [cue for cue in cues if cue.start_ms < duration_ms]
    return [
        captions.Cue(cue.start_ms, min(cue.end_ms, duration_ms), cue.text)
        for cue in kept
        if min(cue.end_ms, duration_ms) > cue.start_ms
    ]


def _source_is_silent(video: Video) -> bool:
    """Whether the upload itself had no sound track (the render adds a silent one)."""
    if not video.original:
        return False
    from clipdeck.studio.engine import MediaError, safe_probe
    from clipdeck.studio.originals import original_path

    try:
        with original_path(video) as path:
            return safe_probe(path).audio is None
    except (MediaError, OSError):
        return False


def _news(status: str, message: str) -> str:
    if status == S.READY:
        return "Your auto-captions are ready to review."
    return message


@functools.cache
def recognizer() -> speech.Recognizer:
    """This process's recognizer, loaded once (with the operator's model, if set)."""
    return speech.Recognizer(settings.CLIPDECK_AUTO_CAPTIONS_MODEL or None)
