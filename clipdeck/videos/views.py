"""Media file endpoints: every byte served passes the visibility policy."""

from __future__ import annotations

import re

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponseBase
from django.views.decorators.http import require_safe

from clipdeck.accounts.models import User
from clipdeck.kernel.auth import as_viewer
from clipdeck.kernel.ranged import serve_file
from clipdeck.videos.media import MEDIA_KINDS, sound_token_id, unsign
from clipdeck.videos.models import Video
from clipdeck.videos.visibility import is_public, sound_access

PUBLIC_MAX_AGE = 300
AVATAR_PATH = re.compile(r"avatars/[A-Za-z0-9_-]+\.jpg")


def _viewer_for(request: HttpRequest, token_id: str, kind: str) -> User | None:
    """The viewer a signed token for this file names, else the session's user, else None."""
    token = request.GET.get("t")
    if not token:
        return as_viewer(request.user)
    claims = unsign(token)
    if claims is None or claims[:2] != (token_id, kind):
        raise Http404
    return User.objects.filter(pk=claims[2]).first() if claims[2] else None


@require_safe
def video_media(request: HttpRequest, video_id, kind: str) -> HttpResponseBase:
    if kind not in MEDIA_KINDS:
        raise Http404
    viewer = _viewer_for(request, str(video_id), kind)
    video = Video.objects.visible_to(viewer).select_related("author").filter(pk=video_id).first()
    if video is None or not getattr(video, kind):
        raise Http404
    # Short shared caching: a video made private stops being served by caches
    # within PUBLIC_MAX_AGE seconds.
    cache = f"public, max-age={PUBLIC_MAX_AGE}" if is_public(video) else "private, no-store"
    return serve_file(
        request, getattr(video, kind).storage, getattr(video, kind).name, cache_control=cache
    )


@require_safe
def sound_audio(request: HttpRequest, sound_id: int) -> HttpResponseBase:
    viewer = _viewer_for(request, sound_token_id(sound_id), "audio")
    sound = sound_access(viewer, sound_id)
    name = sound.audio.name
    if not name:
        raise Http404
    library_track = sound.source_video_id is None
    cache = f"public, max-age={PUBLIC_MAX_AGE}" if library_track else "private, max-age=300"
    return serve_file(request, sound.audio.storage, name, cache_control=cache)


@require_safe
def public_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Avatars: public by nature, re-encoded on upload."""
    if not AVATAR_PATH.fullmatch(path) or not default_storage.exists(path):
        raise Http404
    # Avatar names change on every upload, so a long cache never shows a stale one.
    return serve_file(request, default_storage, path, cache_control="public, max-age=86400")
