"""Operational state shared by all processes of a cell."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """A task worker process that says it is alive; see ``clipdeck.runtime.workers``."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
