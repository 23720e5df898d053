"""What API schemas read from videos beyond their own columns: the viewer's state."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from clipdeck.accounts.models import User
from clipdeck.kernel.auth import viewer_of
from clipdeck.videos.models import Sound, Video
from clipdeck.videos.selectors import author_follow_states, liked_ids
from clipdeck.videos.visibility import visible_video_ids


def viewer_state(videos: Iterable[Video], viewer: User | None) -> list[Video]:
    """Mark each video with the viewer's state and the sources the viewer may see.

    Three queries for the whole list, whatever its length (four when the videos
    were not read through ``selectors.with_relations``, which says which have
    captions); ``VideoOut`` reads ``viewer_liked``, ``viewer_author_follow``,
    ``has_captions``, and ``shown_remix_of`` and ``shown_sound`` (rule R3: None
    where the viewer may not see the source).
    """
    videos = list(videos)
    liked = liked_ids(viewer, videos)
    follows = author_follow_states(viewer, videos)
    unknown = [video for video in videos if not hasattr(video, "has_captions")]
    captioned = captioned_ids(unknown)
    for video in videos:
        video.viewer_liked = video.pk in liked
        video.viewer_author_follow = follows.get(video.author_id, "none")
        if not hasattr(video, "has_captions"):
            video.has_captions = video.pk in captioned
    return source_state(videos, viewer)


def captioned_ids(videos: list[Video]) -> set:
    """The ids of those ``videos`` that have published captions, in one query.

    Captions are the studio's (``studio.Captions``); they are found through the
    reverse relation it declares, so this app never imports the studio.
    """
    ids = [video.pk for video in videos]
    if not ids:
        return set()
    found = Video.objects.filter(pk__in=ids, captions__isnull=False)
    return set(found.values_list("pk", flat=True))


def source_state(videos: list[Video], viewer: User | None) -> list[Video]:
    """Mark each video with the sources ``viewer`` may see (rule R3), in one query.

    ``shown_remix_of``: the video it remixes, or None; ``shown_sound``: its
    sound, or None when that is another video's original sound the viewer may
    not see. Pages read these too.
    """
    seen = visible_video_ids(viewer, _sources(videos))
    for video in videos:
        video.shown_remix_of = video.remix_of if video.remix_of_id in seen else None
        video.shown_sound = _shown_sound(video, seen)
    return videos


def _original_sound_source(video: Video) -> object | None:
    """The id of the other video whose original sound ``video`` uses, if any."""
    sound: Sound | None = video.sound
    if sound is None or not sound.is_original or sound.source_video_id == video.pk:
        return None
    return sound.source_video_id


def _sources(videos: list[Video]) -> set:
    """The ids of the videos these remix or take their sound from."""
    remixed = {video.remix_of_id for video in videos}
    return (remixed | {_original_sound_source(video) for video in videos}) - {None}


def _shown_sound(video: Video, seen: set) -> Sound | None:
    """The video's sound, unless it is another video's original sound the viewer may not see."""
    source = _original_sound_source(video)
    return video.sound if source is None or source in seen else None


def video_page(videos: list[Video], request: HttpRequest) -> list[Video]:
    """A page of videos for ``CursorPagination(present=…)``: the viewer's state attached."""
    return viewer_state(videos, viewer_of(request))
