"""The scheduler: every task worker ticks it; due periodic jobs become ordinary tasks.

The jobs themselves are declared by the apps (``<app>/jobs.py``, registered in
``clipdeck.kernel.jobs``). A tick looks at every job and, when its interval has
passed, enqueues its task on the shared queue, where the next free worker of
any machine runs it. "Due" is decided cell-wide with
``clipdeck.kernel.locks.once_per_interval``, so however many workers tick, each
job is enqueued once per interval. Jobs registered ``per_machine`` are due once
per interval on each machine and run in the ticking worker itself.

One job failing (to be enqueued, or when it runs) never stops the others: each
is its own task, and a tick logs a job it could not handle and goes on.
"""

from __future__ import annotations

import logging
import socket
import threading

from django.db import close_old_connections, connection
from django_tasks_db.models import DBTaskResult

from clipdeck.kernel import jobs
from clipdeck.kernel.locks import once_per_interval, release

logger = logging.getLogger(__name__)

MIN_TICK_SECONDS = 1.0
MAX_TICK_SECONDS = 60.0
TICKS_PER_INTERVAL = 4  # a job is enqueued at most a quarter interval after it fell due


def tick() -> list[str]:
    """Enqueue (or, per machine, run) every job that is due; returns their names."""
    started = []
    for job in jobs.registered():
        try:
            if not _due(job):
                continue
        except Exception:  # the cache may be back next tick
            logger.exception("periodic job %s: could not tell whether it is due", job.name)
            continue
        try:
            _start(job)
            started.append(job.name)
        except Exception:  # the next job, and the next tick, may still succeed
            logger.exception("periodic job %s could not be started", job.name)
            release(_key(job))  # so the next tick tries again instead of a whole interval later
    return started


def _key(job: jobs.Job) -> str:
    return f"job:{job.name}:{socket.gethostname()}" if job.per_machine else f"job:{job.name}"


def _due(job: jobs.Job) -> bool:
    return once_per_interval(_key(job), job.interval())


def _start(job: jobs.Job) -> None:
    if job.per_machine:
        job.task.call()
    elif not _waiting(job):
        job.task.enqueue()


def _waiting(job: jobs.Job) -> bool:
    """Whether the job's last run still waits in the queue (busy workers): no pile-up."""
    return DBTaskResult.objects.filter(task_path=job.task.module_path, status="READY").exists()


def tick_seconds() -> float:
    """How often a worker ticks: a quarter of the shortest interval, within bounds."""
    intervals = [seconds for job in jobs.registered() if (seconds := job.interval()) > 0]
    shortest = min(intervals, default=MAX_TICK_SECONDS * TICKS_PER_INTERVAL)
    return min(MAX_TICK_SECONDS, max(MIN_TICK_SECONDS, shortest / TICKS_PER_INTERVAL))


def _loop(stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            tick()
        except Exception:  # the database may be back next round
            logger.exception("scheduler tick failed")
        finally:
            connection.close()
        stop.wait(tick_seconds())


def start_scheduler() -> threading.Event:
    """Tick now and then every :func:`tick_seconds` in a thread; set the event to stop."""
    stop = threading.Event()
    threading.Thread(target=_loop, args=(stop,), name="scheduler", daemon=True).start()
    return stop
