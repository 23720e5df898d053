"""Carrying out moderation decisions on videos, comments and sounds.

``clipdeck.moderation`` decides and keeps the record (the case, the decision,
its statement of reasons, the appeal); these functions change the state that
every read path obeys (rules V7–V9, C3 and S3 of ``clipdeck.videos.visibility``).
Nothing is deleted, so a reversed decision restores the item with its likes,
comments, shares and views.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from clipdeck.videos.models import (
    Comment,
    CommentState,
    ModerationState,
    Sound,
    Video,
    WithheldReason,
)
from clipdeck.videos.remixes import remixes_withhold


@transaction.atomic
def video_moderate(*, video: Video, state: str) -> Video:
    """Set ``video``'s moderation state; remixes of a video no longer for everyone are
    withheld (R2), since a duet or reaction shows the moderated video itself."""
    video.moderation_state = ModerationState(state)
    video.save(update_fields=["moderation_state"])
    if state not in (ModerationState.NONE,):
        remixes_withhold(video, reason=WithheldReason.SOURCE_NOT_PUBLIC)
    return video


@transaction.atomic
def comment_moderate(*, comment: Comment, removed: bool) -> Comment:
    """Remove a comment (C3) or bring it back, keeping the video's comment count right."""
    was_shown = comment.state == CommentState.SHOWN
    comment.state = CommentState.REMOVED if removed else CommentState.SHOWN
    comment.save(update_fields=["state"])
    counted = Video.objects.filter(pk=comment.video_id)
    if removed and was_shown:
        counted.filter(comment_count__gt=0).update(comment_count=F("comment_count") - 1)
    elif not removed and not was_shown:
        counted.update(comment_count=F("comment_count") + 1)
    return comment


def sound_moderate(*, sound: Sound, removed: bool) -> Sound:
    """Remove a sound (S3) or bring it back."""
    sound.removed = removed
    sound.save(update_fields=["removed"])
    return sound
