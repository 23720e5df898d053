"""The event log, per-video exposure counters and each viewer's feed controls.

Events are stored compactly: a small-integer kind, the watched time, the
completion in permille and a timestamp. They are deleted after the retention
period declared in ``inventory.py`` (``feed.services.events_prune``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class EventKind(models.IntegerChoices):
    IMPRESSION = 1, "impression"
    VIEW = 2, "view"
    REPLAY = 3, "replay"
    SKIP = 4, "skip"
    LIKE = 5, "like"
    COMMENT = 6, "comment"
    SHARE = 7, "share"
    FOLLOW = 8, "follow"
    NOT_INTERESTED = 9, "not_interested"

    @classmethod
    def from_name(cls, name: str) -> EventKind | None:
        return next((kind for kind in cls if kind.label == name), None)


class TrafficSource(models.IntegerChoices):
    """Where a view came from in the app, for creators' aggregated traffic sources."""

    UNKNOWN = 0, "unknown"
    FOR_YOU = 1, "for_you"
    FOLLOWING = 2, "following"
    PROFILE = 3, "profile"
    SEARCH = 4, "search"
    HASHTAG = 5, "hashtag"
    SOUND = 6, "sound"
    SHARE_LINK = 7, "share_link"

    @classmethod
    def from_name(cls, name: str) -> TrafficSource | None:
        return next((source for source in cls if source.label == name), None)


class Event(models.Model):
    """One thing a viewer did with a video."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_events"
    )
    video = models.ForeignKey("videos.Video", on_delete=models.CASCADE, related_name="+")
    kind = models.PositiveSmallIntegerField(choices=EventKind.choices)
    watched_ms = models.PositiveIntegerField(default=0)
    completion_pm = models.PositiveSmallIntegerField(default=0)  # permille, loops capped at 10x
    source = models.PositiveSmallIntegerField(
        choices=TrafficSource.choices, default=TrafficSource.UNKNOWN
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["user", "at"]),
            models.Index(fields=["video", "at"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.get_kind_display()} {self.video_id}"

    @property
    def completion(self) -> float:
        return self.completion_pm / 1000


class VideoStats(models.Model):
    """Aggregate counters of a video's audience; identify nobody.

    ``exposures`` counts views and skips; ``completions`` the views watched to
    at least 80 %; ``pool`` is the exploration pool the video has reached.
    """

    video = models.OneToOneField(
        "videos.Video", primary_key=True, on_delete=models.CASCADE, related_name="feed_stats"
    )
    exposures = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)
    completion_sum = models.FloatField(default=0.0)
    likes = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)
    skips = models.PositiveIntegerField(default=0)
    not_interested = models.PositiveIntegerField(default=0)
    pool = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["updated_at"])]

    def __str__(self) -> str:
        return f"stats of {self.video_id}"


class FeedControl(models.Model):
    """A viewer's feed controls: when they last reset their For You feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="feed_control",
    )
    reset_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"feed control of {self.user_id}"
