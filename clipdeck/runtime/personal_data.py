"""The runtime's rows in the data inventory: worker heartbeats, and their pruner."""

from __future__ import annotations

from datetime import datetime

from clipdeck.kernel.personal_data import DataClass, Retention, declare, register
from clipdeck.runtime.models import WorkerHeartbeat

INT = DataClass.INTERNAL
UNTIL_STOPPED = "Until the worker stops, or a day after its last heartbeat."

declare(
    WorkerHeartbeat,
    {
        "worker_id": (INT, "Which worker runs a task.", UNTIL_STOPPED),
        "host": (INT, "Which machine a worker runs on.", UNTIL_STOPPED),
        "pid": (INT, "Which process a worker is.", UNTIL_STOPPED),
        "started_at": (INT, "Operations: worker uptime.", UNTIL_STOPPED),
        "last_seen": (INT, "Finding workers that died mid-task.", Retention.OPERATIONAL),
    },
)


def prune(now: datetime) -> dict[str, int]:
    """Forget workers silent for a day (the sweeper does it too, on its own rounds)."""
    from clipdeck.runtime.workers import FORGET_AFTER

    deleted, _ = WorkerHeartbeat.objects.filter(last_seen__lt=now - FORGET_AFTER).delete()
    return {"worker_heartbeats": deleted}


register("core", prune=prune, prunes=(WorkerHeartbeat._meta.label,))
