"""Creator controls over comments: who may comment, held comments, deleting any comment.

The owner of a video chooses who may comment (``comments_from``: everyone,
followers, nobody) and words whose comments wait for approval
(``comment_filter_keywords``); both live on the account. A held comment is seen
by its writer and the video's owner alone (rule C3) until the owner approves it.
The owner may delete any comment on their videos; a writer their own comments.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, QuerySet

from clipdeck.accounts.models import CommentsFrom, Follow, FollowState, User
from clipdeck.kernel.errors import Forbidden, NotFound
from clipdeck.videos.models import Comment, CommentState, Video
from clipdeck.videos.signals import comment_made

NO_COMMENT = "This comment does not exist or is not available."


def comment_permitted(*, author: User, owner: User, text: str) -> bool:
    """Check ``owner``'s ``comments_from`` for ``author``; True when ``text`` is to be held.

    Raises Forbidden naming the rule when ``author`` may not comment at all.
    """
    if owner.comments_from == CommentsFrom.NOBODY:
        raise Forbidden(f"@{owner.handle} turned comments off.", code="comments_closed")
    if (
        owner.comments_from == CommentsFrom.FOLLOWERS
        and not Follow.objects.filter(
            follower=author, followee=owner, state=FollowState.FOLLOWING
        ).exists()
    ):
        raise Forbidden(
            f"Only followers of @{owner.handle} can comment.", code="comments_followers_only"
        )
    lowered = text.lower()
    return any(word in lowered for word in owner.comment_filter_keywords)


def held_comments(owner: User) -> QuerySet[Comment]:
    """Comments on ``owner``'s videos waiting for approval, oldest first."""
    return (
        Comment.objects.filter(video__author=owner, state=CommentState.HELD)
        .select_related("author", "video")
        .order_by("created_at", "pk")
    )


def _owned_comment(owner: User, comment_id: int) -> Comment:
    comment = Comment.objects.filter(pk=comment_id, video__author=owner).first()
    if comment is None:
        raise NotFound(NO_COMMENT)
    return comment


@transaction.atomic
def comment_approve(*, owner: User, comment_id: int) -> Comment:
    """The video's owner lets a held comment through; it is counted from now."""
    comment = _owned_comment(owner, comment_id)
    if comment.state != CommentState.HELD:
        return comment
    comment.state = CommentState.SHOWN
    comment.save(update_fields=["state"])
    Video.objects.filter(pk=comment.video_id).update(comment_count=F("comment_count") + 1)
    if comment.parent_id is not None:
        Comment.objects.filter(pk=comment.parent_id).update(reply_count=F("reply_count") + 1)
    comment_made.send(sender=Comment, comment=comment)  # its notifications, now it shows
    return comment
