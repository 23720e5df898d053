"""Notifications: what happened to someone's account, videos and orders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationType(models.TextChoices):
    LIKE = "like", "Like"
    COMMENT = "comment", "Comment"
    REPLY = "reply", "Reply"
    MENTION = "mention", "Mention"
    FOLLOW = "follow", "New follower"
    FOLLOW_REQUEST = "follow_request", "Follow request"
    FOLLOW_APPROVED = "follow_approved", "Follow request approved"
    DUET = "duet", "Duet"
    REACT = "react", "Reaction"
    STITCH = "stitch", "Stitch"
    COMMENT_LIKE = "comment_like", "Comment like"
    ORDER = "order", "Order update"
    MODERATION = "moderation", "Moderation decision"
    CAPTIONS = "captions", "Captions ready"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    type = models.CharField(max_length=20, choices=NotificationType.choices)
    # The latest person who did it; grouped likes keep the count of the others.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    video = models.ForeignKey(
        "videos.Video", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "videos.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    count = models.PositiveIntegerField(default=1)  # people grouped in one like notification
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.type} for {self.recipient_id}"
