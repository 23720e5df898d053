"""Scheduled posting: a video uploaded with ``publish_at`` goes live at that time.

It renders as usual and stays a draft; the periodic job ``publish_due`` (every
``CLIPDECK_SCHEDULED_POSTS_INTERVAL_SECONDS``) publishes each due draft. The
schedule is a database row, so a restart of every process before the time
changes nothing. Publishing the draft by hand earlier cancels the schedule;
a video whose render failed is not published and its schedule is dropped.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from clipdeck.kernel.errors import InvalidInput
from clipdeck.studio.models import ScheduledPost
from clipdeck.videos.models import Video, VideoStatus
from clipdeck.videos.services import video_publish

logger = logging.getLogger(__name__)
MAX_AHEAD = dt.timedelta(days=90)


def check_publish_at(publish_at: dt.datetime | None) -> dt.datetime | None:
    """The time to publish at, validated: in the future and at most 90 days ahead."""
    if publish_at is None:
        return None
    if timezone.is_naive(publish_at):
        raise InvalidInput(
            "publish_at needs a time zone, e.g. 2026-05-01T18:00:00Z.",
            code="invalid_publish_at",
            field="publish_at",
        )
    now = timezone.now()
    if publish_at <= now:
        raise InvalidInput(
            "publish_at must be in the future.", code="invalid_publish_at", field="publish_at"
        )
    if publish_at > now + MAX_AHEAD:
        raise InvalidInput(
            "Posts can be scheduled at most 90 days ahead.",
            code="invalid_publish_at",
            field="publish_at",
        )
    return publish_at


def schedule(video: Video, publish_at: dt.datetime) -> ScheduledPost:
    """Record that ``video`` (created as a draft) goes live at ``publish_at``."""
    return ScheduledPost.objects.create(video=video, publish_at=publish_at)


def publish_due(now: dt.datetime | None = None) -> int:
    """Publish every scheduled draft whose time has come; return how many went live."""
    now = now or timezone.now()
    published = 0
    for post in ScheduledPost.objects.filter(publish_at__lte=now).select_related("video"):
        with transaction.atomic():
            video = Video.objects.select_for_update().filter(pk=post.video_id).first()
            if video is None or video.status == VideoStatus.PROCESSING:
                continue  # still rendering: published on a later run
            if video.status == VideoStatus.DRAFT:
                video_publish(video=video)
                published += 1
                logger.info("scheduled post %s published", video.pk)
            ScheduledPost.objects.filter(pk=post.pk).delete()
    return published
