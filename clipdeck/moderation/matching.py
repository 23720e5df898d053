"""Re-upload matching: removed videos are fingerprinted, and a new upload that matches
one is held for review before anyone sees it.

A removal queues :func:`fingerprint_removed` (a background task: it decodes
the video). Every rendered upload is hashed in the render worker, inside the
transaction that publishes it (``videos.signals.video_rendered``), and compared
with the fingerprints; a match holds the video (rule V8) and opens an
automated case in the moderation queue, where a person decides. A reversed
removal forgets the fingerprint.
"""

from __future__ import annotations

import logging

from django.db import transaction

from clipdeck.kernel.storage import local_path
from clipdeck.moderation import hashing
from clipdeck.moderation.models import Decision, Fingerprint
from clipdeck.videos.enforcement import video_moderate
from clipdeck.videos.models import ModerationState, Video

logger = logging.getLogger(__name__)
# Share of an upload's sampled frames that must match a removed video.
MATCH_SHARE = 0.5
MIN_MATCHED_FRAMES = 2


def fingerprint_later(decision: Decision) -> None:
    """Queue the fingerprint of the video ``decision`` removed, once the decision commits."""
    from clipdeck.moderation.tasks import fingerprint_removed

    transaction.on_commit(lambda: fingerprint_removed.enqueue(decision.target_id, decision.pk))


def fingerprint(video_id: str, decision_id: int | None = None) -> Fingerprint | None:
    """Hash the removed video's frames and keep them; None when it has no media (any more)."""
    video = Video.objects.filter(pk=video_id).first()
    if video is None or not video.mp4:
        return None
    try:
        with local_path(video.mp4.storage, video.mp4.name) as handle:  # sealed: decrypted copy
            hashes = hashing.video_hashes(handle, per_second=hashing.REFERENCE_PER_SECOND)
    except (OSError, ValueError, hashing.av.error.FFmpegError) as error:
        logger.warning("fingerprint of %s failed: %s", video_id, error)
        return None
    row, _ = Fingerprint.objects.update_or_create(
        video_id=video.pk,
        defaults={"hashes": hashing.to_hex(hashes), "decision_id": decision_id},
    )
    return row


def forget(video_id) -> None:
    """A reversed removal: the video is no longer a reference for matching."""
    Fingerprint.objects.filter(video_id=video_id).delete()


def best_match(
    hashes: list[int], mirrored: list[int] | tuple = ()
) -> tuple[Fingerprint | None, float]:
    """The fingerprint ``hashes`` (or their mirror image) match best, and the share of
    frames that matched."""
    best: tuple[Fingerprint | None, float] = (None, 0.0)
    for row in Fingerprint.objects.all().iterator():
        share = hashing.match_share(hashes, hashing.from_hex(row.hashes), mirrored)
        if share > best[1]:
            best = (row, share)
    return best


def is_match(hashes: list[int], share: float) -> bool:
    return share >= MATCH_SHARE and share * len(hashes) >= MIN_MATCHED_FRAMES


def check_upload(video: Video) -> bool:
    """Hold ``video`` for review when it matches a removed video; whether it was held."""
    if not video.mp4 or not Fingerprint.objects.exists():
        return False
    try:
        with local_path(video.mp4.storage, video.mp4.name) as handle:  # sealed: decrypted copy
            hashes, mirrored = hashing.upload_hashes(handle)
    except (OSError, ValueError, hashing.av.error.FFmpegError) as error:
        logger.warning("matching %s failed: %s", video.pk, error)
        return False
    row, share = best_match(hashes, mirrored)
    if row is None or not is_match(hashes, share):
        return False
    from clipdeck.moderation.services import case_open_for_match

    video_moderate(video=video, state=ModerationState.HELD)
    case_open_for_match(video=video, matched_video_id=row.video_id)
    logger.info(
        "upload %s held: %.0f%% of frames match removed %s", video.pk, share * 100, row.video_id
    )
    return True
