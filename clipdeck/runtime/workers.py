"""Task workers: who they are, that they are alive, and what happens to the task of
one that died.

The queue is django-tasks' database backend (``django_tasks_db``). A worker
claims a task by marking it RUNNING under its worker id, inside
``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL (an exclusive transaction on
SQLite), so two workers never claim the same task. The library has no lease,
though: a worker that is SIGKILLed, runs out of memory or loses its machine
leaves its task RUNNING for ever.

So each worker process writes a heartbeat row (:class:`WorkerHeartbeat`) every
quarter of ``CLIPDECK_WORKER_STALE_SECONDS`` from a thread, and a periodic job
(``clipdeck.runtime.jobs``, every half of that, once for the whole cell) puts a
RUNNING task whose worker has missed its heartbeats back to READY, where the
next free worker takes it. Delivery is therefore *at least once*: tasks must
be idempotent (``render_video`` is: it takes a render lease and does nothing for
a video that is done). A task whose workers died ``CLIPDECK_TASK_MAX_ATTEMPTS``
times is marked FAILED (``WorkerLost``) instead of taking down worker after worker.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clipdeck.kernel.retry import retry_when_locked
from clipdeck.runtime.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

RUNNING, READY, FAILED = "RUNNING", "READY", "FAILED"
FORGET_AFTER = timedelta(days=1)


class WorkerLost(Exception):
    """The worker running a task stopped sending heartbeats, too many times."""


def stale_after() -> timedelta:
    return timedelta(seconds=settings.CLIPDECK_WORKER_STALE_SECONDS)


def new_worker_id() -> str:
    """A worker id unique across machines (django_tasks_db allows 64 characters)."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(4)}"


def beat(worker_id: str) -> None:
    """Record that ``worker_id`` (this process) is alive now, retrying while the
    database is locked (SQLite under a long write)."""
    retry_when_locked(lambda: _beat_once(worker_id))


def _beat_once(worker_id: str) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=now,
            last_seen=now,
        )


def forget(worker_id: str) -> None:
    """Remove the heartbeat of a worker that stopped cleanly."""
    retry_when_locked(WorkerHeartbeat.objects.filter(worker_id=worker_id).delete)


def live_workers():
    """Heartbeats younger than the stale limit."""
    return WorkerHeartbeat.objects.filter(last_seen__gte=timezone.now() - stale_after())


def requeue_orphaned_tasks() -> int:
    """Put RUNNING tasks of workers without a fresh heartbeat back to READY; returns how many.

    Each change is a conditional update (still RUNNING, same start), so two
    reapers racing, or a task finishing meanwhile, cannot undo each other.
    """
    cutoff = timezone.now() - stale_after()
    live = set(live_workers().values_list("worker_id", flat=True))
    candidates = DBTaskResult.objects.filter(status=RUNNING, started_at__lt=cutoff).only(
        "id", "worker_ids", "started_at", "task_path"
    )
    requeued = 0
    for task in candidates:
        owner = task.worker_ids[-1] if task.worker_ids else None
        if owner in live:
            continue
        same_run = DBTaskResult.objects.filter(
            pk=task.pk, status=RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) >= settings.CLIPDECK_TASK_MAX_ATTEMPTS:
            if same_run.update(
                status=FAILED,
                finished_at=timezone.now(),
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"WorkerLost: workers {', '.join(task.worker_ids)} died running it.",
            ):
                logger.error("task %s (%s) failed: its workers died", task.pk, task.task_path)
            continue
        if same_run.update(status=READY, started_at=None):
            requeued += 1
            logger.warning(
                "requeued task %s (%s): worker %s stopped sending heartbeats",
                task.pk,
                task.task_path,
                owner,
            )
    WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - FORGET_AFTER).delete()
    return requeued


def _beat_until(stop: threading.Event, worker_id: str, seconds: float) -> None:
    while not stop.wait(seconds):
        try:
            close_old_connections()
            beat(worker_id)
        except Exception:  # keep going; the database may be back next round
            logger.exception("worker heartbeat failed")
        finally:
            connection.close()


def start_heartbeat(worker_id: str) -> threading.Event:
    """A heartbeat thread for this worker; set the returned event to stop it.

    The first heartbeat is written before returning, so the worker is known
    alive before it claims anything.
    """
    beat(worker_id)
    stop = threading.Event()
    seconds = max(0.5, stale_after().total_seconds() / 4)
    threading.Thread(
        target=_beat_until, args=(stop, worker_id, seconds), name="worker heartbeat", daemon=True
    ).start()
    return stop
