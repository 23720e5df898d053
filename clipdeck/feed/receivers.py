"""The feed's signal receivers: new videos reach the shared candidate lists at once.

The fresh and exploration lists are cached for every viewer (``shared.py``),
perhaps in another process (videos are published by the task workers);
without this a video published a moment ago would wait for the next refresh,
and on a quiet deployment the feed would look empty to its first viewers.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clipdeck.accounts.models import Follow
from clipdeck.feed import features, viewer_state
from clipdeck.feed.shared import invalidate
from clipdeck.videos.models import Video, VideoStatus

NEW_VIDEO_LISTS = ("feed:fresh", "feed:exploration")


@receiver(post_save, sender=Video, dispatch_uid="feed-new-video")
def _video_published(sender, instance: Video, update_fields=None, **kwargs) -> None:
    if instance.status != VideoStatus.PUBLISHED:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    transaction.on_commit(lambda: invalidate(NEW_VIDEO_LISTS))


@receiver(post_save, sender=Follow, dispatch_uid="feed-follow-saved")
@receiver(post_delete, sender=Follow, dispatch_uid="feed-follow-deleted")
def _follows_changed(sender, instance: Follow, **kwargs) -> None:
    """The follower's precomputed candidates include followed accounts' videos: refresh them.

    The followee's follower count (a ranking feature) is read afresh in this process too.
    """
    features.forget_creator(instance.followee_id)
    viewer_state.refresh_behind(instance.follower_id)
