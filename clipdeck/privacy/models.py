"""Per-user data keys, personal-data exports and the access audit chain."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class UserKey(models.Model):
    """A user's data key, wrapped by the cell key.

    Protected fields of the user are encrypted with this key. Deleting the row
    (crypto-shredding, ``privacy.keys.user_key_shred``) makes every copy of
    those fields unreadable, in the database and in backups alike.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_key"
    )
    key_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"data key {self.key_id}"


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


class AuditEntry(models.Model):
    """One staff or partner access to protected data; rows are only ever appended.

    ``entry_hash`` is SHA-256 over the previous entry's hash and this entry's
    canonical JSON (``privacy.audit.entry_digest``), so changing, removing or
    reordering a row breaks the chain at that row. Entries name records by id
    and fields by name, never by their values.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True)
    actor_role = models.CharField(max_length=32)
    action = models.CharField(max_length=32)
    subject = models.CharField(max_length=120)  # "accounts.User:42"
    fields = models.JSONField(default=list)
    justification = models.CharField(max_length=500)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject}"


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
