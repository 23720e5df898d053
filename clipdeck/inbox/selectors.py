"""Reads of the inbox: never from a blocked account, never about what the recipient can't see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from clipdeck.accounts.models import User
from clipdeck.accounts.policies import blocked_either_way
from clipdeck.inbox.models import Notification
from clipdeck.videos.models import Comment, Video


def notifications_for(user: User) -> QuerySet[Notification]:
    """``user``'s notifications that may still be shown to them, newest first.

    Hidden (not deleted) while the actor and the user are in a block either
    way, or while the video or comment is one the user may not see.
    """
    visible_videos = Video.objects.visible_to(user).values("pk")
    visible_comments = Comment.objects.visible_to(user).values("pk")
    return (
        Notification.objects.filter(recipient=user)
        .exclude(blocked_either_way(user, "actor"))
        .filter(Q(video__isnull=True) | Q(video__in=visible_videos))
        .filter(Q(comment__isnull=True) | Q(comment__in=visible_comments))
        .select_related("actor", "video", "comment")
        .order_by("-created_at", "-pk")
    )


def unread_count(user: User) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()
