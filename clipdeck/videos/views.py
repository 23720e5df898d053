"""Media file endpoints: every byte served passes the visibility policy."""

from __future__ import annotations

import re

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from clipdeck.accounts.models import User
from clipdeck.kernel.ranged import serve_file
from clipdeck.videos.media import MEDIA_KINDS, is_public, sound_token_id, unsign
from clipdeck.videos.models import Video
from clipdeck.videos.visibility import sound_access

PUBLIC_MAX_AGE = 300
AVATAR_PATH = re.compile(r"avatars/[A-Za-z0-9_-]+\.jpg")


def _viewer_for(request: HttpRequest, video_id: str, kind: str):
    """The viewer a signed token names, else the session's user, else None."""
    token = request.GET.get("t")
    if token:
        claims = unsign(token)
        if claims is None or claims[0] != str(video_id) or claims[1] != kind:
            raise Http404
        viewer_id = claims[2]
        return User.objects.filter(pk=viewer_id).first() if viewer_id else None
    return request.user if request.user.is_authenticated else None


@require_safe
def video_media(request: HttpRequest, video_id, kind: str) -> HttpResponse:
    if kind not in MEDIA_KINDS:
        raise Http404
    viewer = _viewer_for(request, video_id, kind)
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
def sound_audio(request: HttpRequest, sound_id: int) -> HttpResponse:
    viewer = _sound_viewer(request, sound_id)
    sound = sound_access(viewer, sound_id)
    if not sound.audio:
        raise Http404
    library_track = sound.source_video_id is None
    cache = f"public, max-age={PUBLIC_MAX_AGE}" if library_track else "private, max-age=300"
    return serve_file(request, sound.audio.storage, sound.audio.name, cache_control=cache)


def _sound_viewer(request: HttpRequest, sound_id: int):
    """The viewer a signed sound URL names, else the session's user, else None."""
    token = request.GET.get("t")
    if token:
        claims = unsign(token)
        if claims is None or claims[:2] != (sound_token_id(sound_id), "audio"):
            raise Http404
        return User.objects.filter(pk=claims[2]).first() if claims[2] else None
    return request.user if request.user.is_authenticated else None


@require_safe
def public_media(request: HttpRequest, path: str) -> HttpResponse:
    """Avatars: public by nature, re-encoded on upload."""
    if not AVATAR_PATH.fullmatch(path) or not default_storage.exists(path):
        raise Http404
    # Avatar names change on every upload, so a long cache never shows a stale one.
    return serve_file(request, default_storage, path, cache_control="public, max-age=86400")
