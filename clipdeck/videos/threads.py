"""Writes of comment threads: liking, deleting and pinning comments.

Counts move with ``F()`` updates inside the same transaction as the row they
count, so concurrent likes and replies never lose an increment.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from clipdeck.accounts.models import User
from clipdeck.kernel.errors import InvalidInput, NotFound
from clipdeck.videos.counted import count_once, uncount
from clipdeck.videos.models import Comment, CommentLike, CommentState, Video
from clipdeck.videos.signals import comment_liked
from clipdeck.videos.visibility import comments_visible_to

NO_COMMENT = "This comment does not exist or is not available."


def comment_access(viewer: User | None, comment_id: int | str) -> Comment:
    """The comment if ``viewer`` may read it (C1–C2), else NotFound, as for a missing one."""
    try:
        return (
            comments_visible_to(Comment.objects.all(), viewer)
            .select_related("video", "video__author", "author", "parent")
            .get(pk=int(comment_id))
        )
    except (Comment.DoesNotExist, ValueError, TypeError):
        raise NotFound(NO_COMMENT) from None


def comment_like_create(*, user: User, comment: Comment) -> Comment:
    """Like a comment once; liking again changes nothing."""
    count_once(
        CommentLike(user=user, comment=comment),
        comment,
        then=lambda: comment_liked.send(sender=CommentLike, comment=comment, user=user),
    )
    return comment


def comment_like_delete(*, user: User, comment: Comment) -> Comment:
    uncount(CommentLike.objects.filter(user=user, comment=comment), comment)
    return comment


@transaction.atomic
def comment_delete(*, actor: User, comment: Comment) -> int:
    """Delete a comment (and its replies): its author, or the video's owner, may.

    Anyone else gets the same NotFound as for a missing comment. Returns how
    many comments went (the comment and its replies).
    """
    if actor.pk not in (comment.author_id, comment.video.author_id):
        raise NotFound(NO_COMMENT)
    thread = Comment.objects.filter(Q(pk=comment.pk) | Q(parent=comment))
    gone = thread.count()
    counted = thread.filter(state=CommentState.SHOWN).count()  # held ones were never counted
    parent_id = comment.parent_id
    was_shown = comment.state == CommentState.SHOWN
    comment.delete()
    Video.objects.filter(pk=comment.video_id, comment_count__gte=counted).update(
        comment_count=F("comment_count") - counted
    )
    if parent_id is not None and was_shown:
        Comment.objects.filter(pk=parent_id, reply_count__gt=0).update(
            reply_count=F("reply_count") - 1
        )
    return gone


@transaction.atomic
def comment_pin(*, owner: User, comment: Comment) -> Comment:
    """The video's owner pins one top-level comment; pinning another replaces it."""
    if comment.video.author_id != owner.pk:
        raise NotFound(NO_COMMENT)
    if comment.parent_id is not None:
        raise InvalidInput("Only a top-level comment can be pinned.", code="pin_reply")
    Comment.objects.filter(video_id=comment.video_id, pinned_at__isnull=False).update(
        pinned_at=None
    )
    comment.pinned_at = timezone.now()
    comment.save(update_fields=["pinned_at"])
    return comment


def comment_unpin(*, owner: User, comment: Comment) -> Comment:
    if comment.video.author_id != owner.pk:
        raise NotFound(NO_COMMENT)
    comment.pinned_at = None
    comment.save(update_fields=["pinned_at"])
    return comment
