"""The registry of periodic jobs: what runs now and then, and how often.

Each app declares its periodic work in its own ``jobs.py`` (imported by
``KernelConfig.ready`` like ``personal_data``): a django-tasks ``@task`` that
does the work — thin, idempotent, safe to run twice — registered with a name
and an interval::

    from django_tasks import task

    from clipdeck.kernel import jobs

    @jobs.periodic(every=lambda: settings.CLIPDECK_RETENTION_INTERVAL_SECONDS)
    @task(priority=jobs.PRIORITY)
    def prune_expired() -> dict[str, int]:
        return retention.run()

The scheduler of the running cell (``clipdeck.runtime.scheduler``) ticks in
every task worker and enqueues each due job as an ordinary task; "due" is
decided cell-wide (``clipdeck.kernel.locks.once_per_interval``), so N workers
enqueue a job once per interval, not N times. A job that concerns one machine
(its temporary folder) is registered with ``per_machine=True``: it is due once
per interval on each machine and runs in the worker that found it due, since a
task from the shared queue may run on any machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django_tasks.base import Task

# Periodic jobs are short: they go before queued renders and exports.
PRIORITY = 10

Interval = float | Callable[[], float]


@dataclass(frozen=True)
class Job:
    """One registered periodic job."""

    name: str
    task: Task
    every: Interval
    per_machine: bool = False

    def interval(self) -> float:
        """Seconds between runs, read now (settings may change it); ``<= 0`` turns it off."""
        return float(self.every() if callable(self.every) else self.every)


_REGISTRY: dict[str, Job] = {}


def register(task: Task, *, every: Interval, name: str = "", per_machine: bool = False) -> Job:
    """Run ``task`` (no arguments) every ``every`` seconds; returns the job.

    ``name`` defaults to the task's import path. Registering a name again
    replaces the earlier job (a module imported twice registers the same job).
    """
    if not isinstance(task, Task):
        raise TypeError(f"a periodic job must be a django-tasks @task, not {task!r}")
    job = Job(name=name or task.module_path, task=task, every=every, per_machine=per_machine)
    _REGISTRY[job.name] = job
    return job


def periodic(
    *, every: Interval, name: str = "", per_machine: bool = False
) -> Callable[[Task], Task]:
    """Decorator form of :func:`register`, placed above ``@task(...)``."""

    def decorate(task: Task) -> Task:
        register(task, every=every, name=name, per_machine=per_machine)
        return task

    return decorate


def registered() -> list[Job]:
    """Every registered job, by name."""
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def get(name: str) -> Job:
    """The job called ``name`` (``KeyError`` when there is none)."""
    return _REGISTRY[name]


def unregister(name: str) -> Job | None:
    """Forget the job called ``name`` (tests register jobs of their own)."""
    return _REGISTRY.pop(name, None)
