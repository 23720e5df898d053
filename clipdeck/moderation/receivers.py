"""The moderation app's signal receivers: re-upload matching as a video goes live."""

from __future__ import annotations

from django.dispatch import receiver

from clipdeck.moderation.matching import check_upload
from clipdeck.videos.models import Video
from clipdeck.videos.signals import video_rendered


@receiver(video_rendered, dispatch_uid="moderation.match_reupload")
def match_reupload(sender, *, video: Video, **kwargs) -> None:
    """Hold a rendered upload that matches a removed video, before it goes live."""
    check_upload(video)
