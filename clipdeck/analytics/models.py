"""Daily aggregates for creators: counts only, never who watched."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class VideoDay(models.Model):
    """One video's day: views, watch time, completion, engagement, sources, retention."""

    video = models.ForeignKey("videos.Video", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    watch_time_ms = models.BigIntegerField(default=0)
    completion_sum_pm = models.BigIntegerField(default=0)  # per view, permille capped at 1000
    likes = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)
    # {"for_you": n, "search": n, …}: views per traffic source.
    sources = models.JSONField(default=dict)
    # retention[s]: views still watching at second s (s = 0 … the video's length).
    retention = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["video", "day"], name="analytics_video_day_once")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.video_id} on {self.day}"


class CreatorDay(models.Model):
    """One creator's day: new followers."""

    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    new_followers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["creator", "day"], name="analytics_creator_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.creator_id} on {self.day}"
