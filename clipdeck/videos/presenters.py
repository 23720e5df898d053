"""What API schemas read from videos beyond their own columns: the viewer's state."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from clipdeck.accounts.models import User
from clipdeck.kernel.auth import viewer_of
from clipdeck.videos.models import Video
from clipdeck.videos.selectors import author_follow_states, liked_ids


def viewer_state(videos: Iterable[Video], viewer: User | None) -> list[Video]:
    """Mark each video with whether the viewer liked it and follows its author.

    Two queries for the whole list, whatever its length; ``VideoOut`` reads
    ``viewer_liked`` and ``viewer_author_follow``.
    """
    videos = list(videos)
    liked = liked_ids(viewer, videos)
    follows = author_follow_states(viewer, videos)
    for video in videos:
        video.viewer_liked = video.pk in liked
        video.viewer_author_follow = follows.get(video.author_id, "none")
    return videos


def video_page(videos: list[Video], request: HttpRequest) -> list[Video]:
    """A page of videos for ``CursorPagination(present=…)``: the viewer's state attached."""
    return viewer_state(videos, viewer_of(request))
