"""Share links."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from clipdeck.videos.models import Video


def share_url(video: Video, request: HttpRequest | None = None) -> str:
    """The absolute link that opens the video's page (with OpenGraph tags).

    The operator's ``CLIPDECK_PUBLIC_URL`` wins (behind a proxy the request's own
    address may be an internal one); without it the link uses the origin the
    request was served from, which is the address in the person's browser.
    """
    path = reverse("video-page", kwargs={"video_id": video.pk})
    if settings.PUBLIC_URL_SET or request is None:
        return settings.PUBLIC_URL + path
    return request.build_absolute_uri(path)
