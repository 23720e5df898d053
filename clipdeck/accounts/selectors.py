"""Reads for accounts: profile counts, relationships and follower lists."""

from __future__ import annotations

from django.db.models import QuerySet

from clipdeck.accounts.models import Block, Follow, FollowState, User
from clipdeck.videos.models import Video, VideoStatus
from clipdeck.videos.visibility import can_see_videos_of


def profile_counts(user: User) -> dict[str, int]:
    published = Video.objects.filter(author=user, status=VideoStatus.PUBLISHED)
    return {
        "followers": Follow.objects.filter(followee=user, state=FollowState.FOLLOWING).count(),
        "following": Follow.objects.filter(follower=user, state=FollowState.FOLLOWING).count(),
        "videos": published.count(),
        "likes": sum(published.values_list("like_count", flat=True)),
    }


def relationship(viewer: User | None, user: User) -> dict | None:
    """How ``viewer`` stands with ``user``; None for anonymous viewers or oneself."""
    if viewer is None or viewer.pk == user.pk:
        return None
    mine = Follow.objects.filter(follower=viewer, followee=user).values_list("state", flat=True)
    return {
        "follow": next(iter(mine), "none"),
        "follows_you": Follow.objects.filter(
            follower=user, followee=viewer, state=FollowState.FOLLOWING
        ).exists(),
        "blocked": Block.objects.filter(blocker=viewer, blocked=user).exists(),
        "can_see_videos": can_see_videos_of(viewer, user),
    }


def pending_follow_requests(owner: User) -> QuerySet[Follow]:
    return Follow.objects.filter(
        followee=owner, state=FollowState.REQUESTED, follower__is_active=True
    ).select_related("follower")


def followers_of(user: User, viewer: User | None = None) -> QuerySet[Follow]:
    """Approved followers of ``user`` whose profiles ``viewer`` may open (P1–P3)."""
    return Follow.objects.filter(
        followee=user,
        state=FollowState.FOLLOWING,
        follower__in=User.objects.visible_to(viewer),
    ).select_related("follower")


def following_of(user: User, viewer: User | None = None) -> QuerySet[Follow]:
    """Accounts ``user`` follows whose profiles ``viewer`` may open (P1–P3)."""
    return Follow.objects.filter(
        follower=user,
        state=FollowState.FOLLOWING,
        followee__in=User.objects.visible_to(viewer),
    ).select_related("followee")
