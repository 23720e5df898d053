"""Reads of the feed that need no ranking: the Following feed."""

from __future__ import annotations

from django.db.models import QuerySet

from clipdeck.accounts.models import Follow, FollowState, User
from clipdeck.videos.filters import without_filtered_videos
from clipdeck.videos.models import Video, VideoStatus
from clipdeck.videos.selectors import with_relations


def following_feed(viewer: User) -> QuerySet[Video]:
    """Published videos of the accounts ``viewer`` follows, that ``viewer`` may see."""
    followed = Follow.objects.filter(follower=viewer, state=FollowState.FOLLOWING).values(
        "followee"
    )
    videos = Video.objects.visible_to(viewer).filter(
        author__in=followed, status=VideoStatus.PUBLISHED
    )
    return with_relations(without_filtered_videos(videos, viewer))


def following_reason(video: Video) -> dict:
    return {
        "source": "following",
        "label": f"From @{video.author.handle}, whom you follow",
        "factors": [f"you follow @{video.author.handle}", "newest first"],
    }
