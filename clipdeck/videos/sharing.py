"""Share links."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from clipdeck.videos.models import Video


def share_url(video: Video) -> str:
    """The absolute link that opens the video's page (with OpenGraph tags)."""
    return settings.PUBLIC_URL + reverse("video-page", kwargs={"video_id": video.pk})
