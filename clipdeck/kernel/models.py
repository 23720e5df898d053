"""The kernel's rows: the access audit chain (data keys live in ``kernel.keystore``)."""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    """One staff or partner access to protected data; rows are only ever appended.

    ``entry_hash`` is HMAC-SHA256, under a key kept outside the database, over
    the previous entry's hash and this entry's canonical JSON
    (``kernel.audit.entry_digest``; ``version`` 2). Entries written before the
    key existed are ``version`` 1, plain SHA-256. Changing, removing or
    reordering a row breaks the chain at that row. Database triggers refuse
    UPDATE and DELETE on the table. Entries name records by id and fields by
    name, never by their values.
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
    # 1: unkeyed SHA-256 (entries from before the chain key); 2: HMAC-SHA256.
    version = models.PositiveSmallIntegerField(default=1)

    class Meta:
        db_table = "privacy_auditentry"  # created by the privacy app; moved here
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject}"
