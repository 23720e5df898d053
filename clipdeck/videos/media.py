"""URLs for media files, and serving them with the visibility policy and ranges.

Media of a public video (rule V6, ``clipdeck.videos.visibility.is_public``), of
library sounds and avatars is served at a stable URL that any viewer can fetch.
Media of anything else gets a signed URL that names the viewer and expires;
serving it re-checks the policy for that viewer, so a leaked link stops working
once the viewer loses access or time runs out.
"""

from __future__ import annotations

import time

from django.core import signing
from django.urls import reverse

from clipdeck.videos.models import Sound, Video
from clipdeck.videos.visibility import is_public

MEDIA_KINDS = ("mp4", "mp4_720", "poster")
SIGNED_URL_SECONDS = 6 * 3600
_SALT = "clipdeck.media"


def sign(video_id, kind: str, viewer_id: int | None, *, ttl: int = SIGNED_URL_SECONDS) -> str:
    """A token naming the file and the viewer, valid for ``ttl`` seconds."""
    expires = int(time.time()) + ttl
    return signing.dumps([str(video_id), kind, viewer_id, expires], salt=_SALT, compress=True)


def unsign(token: str) -> tuple[str, str, int | None] | None:
    """(video id, kind, viewer id) of a valid, unexpired token, else None."""
    try:
        video_id, kind, viewer_id, expires = signing.loads(token, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if expires < time.time():
        return None
    return video_id, kind, viewer_id


def media_url(video: Video, kind: str, viewer_id: int | None) -> str | None:
    """The URL of one media file of ``video``: stable when public (V6), else signed."""
    if not getattr(video, kind):
        return None
    path = reverse("video-media", kwargs={"video_id": video.pk, "kind": kind})
    if is_public(video):
        return f"{path}?v={int(video.published_at.timestamp()) if video.published_at else 0}"
    return f"{path}?t={sign(video.pk, kind, viewer_id)}"


def media_urls(video: Video, viewer_id: int | None = None) -> dict[str, str | None]:
    """Every media file of ``video``, by kind, as ``viewer_id`` may fetch it."""
    return {kind: media_url(video, kind, viewer_id) for kind in MEDIA_KINDS}


def captions_url(video: Video) -> str | None:
    """Where a ``<track>`` reads ``video``'s captions (``has_captions`` set by
    ``presenters.viewer_state``): the API's WebVTT answer, which checks the
    viewer like the video itself, so the URL needs no signature."""
    return f"/api/v1/videos/{video.pk}/captions" if video.has_captions else None


def sound_token_id(sound_id) -> str:
    """The id a signed sound URL names, kept apart from video ids."""
    return f"sound:{sound_id}"


def sound_url(sound: Sound, viewer_id: int | None = None) -> str | None:
    """Library tracks and original sounds of public videos have stable URLs; the
    original sound of anything else is signed for the viewer, like its video."""
    if not sound.audio:
        return None
    path = reverse("sound-audio", kwargs={"sound_id": sound.pk})
    source = sound.source_video
    if source is None or is_public(source):
        return path
    return f"{path}?t={sign(sound_token_id(sound.pk), 'audio', viewer_id)}"
