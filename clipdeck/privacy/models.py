"""Personal-data exports and the transparency counters."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class DataExport(models.Model):
    """A ZIP of everything about one user (GDPR art. 15 and 20), built in the background."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    file = models.FileField(upload_to="exports/", blank=True, max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"]), models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"


class TransparencyCount(models.Model):
    """How many exports (or other events without a lasting row) happened on a day.

    Exports are deleted after a week, so the transparency report counts them
    here; the rows hold a day, a kind and a number, never who.
    """

    day = models.DateField()
    kind = models.CharField(max_length=32)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "kind"], name="transparency_day_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}: {self.count}"
