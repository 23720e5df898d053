"""Periodic jobs of the running cell: tasks whose worker died go back to the queue."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from clipdeck.kernel import jobs
from clipdeck.runtime import workers


def half_the_stale_limit() -> float:
    """Orphaned tasks are looked for every half ``CLIPDECK_WORKER_STALE_SECONDS``."""
    return max(1.0, settings.CLIPDECK_WORKER_STALE_SECONDS / 2)


@jobs.periodic(name="runtime.requeue_orphaned_tasks", every=half_the_stale_limit)
@task(priority=jobs.PRIORITY)
def requeue_orphaned_tasks() -> int:
    """Put RUNNING tasks of workers without a fresh heartbeat back to READY; how many."""
    return workers.requeue_orphaned_tasks()
