"""Periodic jobs: apps register them, the workers' scheduler enqueues each due job
once per interval for the whole cell, and one failing job never stops the others."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from clipdeck.kernel import jobs
from clipdeck.kernel.locks import once_per_interval
from clipdeck.runtime import scheduler
from tests.ops import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def only(monkeypatch):
    """``only(job, …)``: the registry holds just these jobs for the test."""

    def install(*registered: jobs.Job) -> None:
        monkeypatch.setattr(jobs, "_REGISTRY", {job.name: job for job in registered})

    tasks.CALLS.clear()
    return install


def queued(task) -> int:
    return DBTaskResult.objects.filter(task_path=task.module_path).count()


def job(task, every: float = 60, **options) -> jobs.Job:
    return jobs.Job(name=task.func.__name__, task=task, every=every, **options)


def test_every_app_registers_its_jobs_through_its_jobs_module():
    intervals = {job.name: job.interval() for job in jobs.registered()}

    assert set(intervals) >= {
        "studio.requeue_stalled",
        "studio.delete_dead_work_dirs",
        "privacy.retention",
        "shop.settle_stale_orders",
        "runtime.requeue_orphaned_tasks",
    }
    assert intervals["studio.requeue_stalled"] == 30  # half the 60 s render lease
    assert jobs.get("studio.delete_dead_work_dirs").per_machine


def test_registering_needs_a_task():
    with pytest.raises(TypeError, match="@task"):
        jobs.register(lambda: None, every=60)


def test_the_decorator_registers_a_job_under_the_task_path(only):
    only()
    jobs.periodic(every=5)(tasks.ping)

    assert jobs.get("tests.ops.tasks.ping").interval() == 5


# The in-process worker manages its own transactions (as on PostgreSQL in production).
@pytest.mark.django_db(transaction=True)
def test_a_registered_job_is_enqueued_by_the_tick_and_run_by_a_worker(only, run_worker):
    only(job(tasks.ping))

    assert scheduler.tick() == ["ping"]
    assert queued(tasks.ping) == 1
    run_worker()

    assert tasks.CALLS == ["ping"]
    assert DBTaskResult.objects.get(task_path=tasks.ping.module_path).status == "SUCCESSFUL"


def test_two_ticks_within_the_interval_enqueue_the_job_once(only):
    only(job(tasks.ping))

    assert scheduler.tick() == ["ping"]
    assert scheduler.tick() == []
    assert queued(tasks.ping) == 1


@pytest.mark.django_db(transaction=True)
def test_workers_ticking_at_once_enqueue_the_job_once(only):
    only(job(tasks.ping))
    workers = 4
    start = threading.Barrier(workers)
    started: list[list[str]] = []

    def worker() -> None:
        try:
            start.wait()
            started.append(scheduler.tick())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # At most one of them starts it. On SQLite's shared in-memory test database the
    # winner's insert may meet a locked table: it then gives the interval back, and
    # the next tick starts the job.
    assert sum(len(names) for names in started) <= 1
    if not any(started):
        assert scheduler.tick() == ["ping"]
    assert queued(tasks.ping) == 1


def test_a_job_that_could_not_be_started_is_tried_again_at_the_next_tick(only, monkeypatch):
    only(job(tasks.ping))
    enqueue = tasks.ping.enqueue
    monkeypatch.setattr(type(tasks.ping), "enqueue", _fail_once(enqueue))

    first = scheduler.tick()
    second = scheduler.tick()

    assert (first, second) == ([], ["ping"])
    assert queued(tasks.ping) == 1


def _fail_once(enqueue):
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database table is locked")
        return enqueue(*args, **kwargs)

    return flaky


# The in-process worker manages its own transactions (as on PostgreSQL in production).
@pytest.mark.django_db(transaction=True)
def test_the_job_is_enqueued_again_once_its_interval_has_passed(only, run_worker):
    only(job(tasks.ping, every=1))

    assert scheduler.tick() == ["ping"]
    run_worker()
    time.sleep(2.1)  # the database cache counts whole seconds

    assert scheduler.tick() == ["ping"]
    assert queued(tasks.ping) == 2


def test_a_job_still_waiting_in_the_queue_is_not_enqueued_twice(only):
    only(job(tasks.ping, every=1))

    scheduler.tick()
    time.sleep(2.1)  # the database cache counts whole seconds
    scheduler.tick()

    assert queued(tasks.ping) == 1


# The in-process worker manages its own transactions (as on PostgreSQL in production).
@pytest.mark.django_db(transaction=True)
def test_a_failing_job_does_not_stop_the_others(only, run_worker):
    only(job(tasks.always_fails), job(tasks.ping))

    assert scheduler.tick() == ["always_fails", "ping"]
    run_worker()

    assert sorted(tasks.CALLS) == ["always_fails", "ping"]
    assert DBTaskResult.objects.get(task_path=tasks.always_fails.module_path).status == "FAILED"
    assert DBTaskResult.objects.get(task_path=tasks.ping.module_path).status == "SUCCESSFUL"


def test_a_job_that_cannot_be_started_does_not_stop_the_others(only):
    def broken_interval() -> float:
        raise RuntimeError("a setting that does not parse")

    only(jobs.Job(name="a-broken", task=tasks.always_fails, every=broken_interval), job(tasks.ping))

    assert scheduler.tick() == ["ping"]


def test_a_per_machine_job_runs_in_the_ticking_worker_once_per_interval(only):
    only(job(tasks.ping, per_machine=True))

    assert scheduler.tick() == ["ping"]
    assert scheduler.tick() == []
    assert tasks.CALLS == ["ping"]
    assert queued(tasks.ping) == 0


def test_a_zero_interval_turns_a_job_off(only):
    only(job(tasks.ping, every=0))

    assert scheduler.tick() == []


def test_the_tick_follows_the_shortest_interval(only):
    only(job(tasks.ping, every=8), job(tasks.always_fails, every=3600))
    assert scheduler.tick_seconds() == 2
    only(job(tasks.ping, every=0.5))
    assert scheduler.tick_seconds() == scheduler.MIN_TICK_SECONDS
    only()
    assert scheduler.tick_seconds() == scheduler.MAX_TICK_SECONDS


def test_once_per_interval_answers_yes_once_per_key():
    assert once_per_interval("a", 60)
    assert not once_per_interval("a", 60)
    assert once_per_interval("b", 60)
    assert not once_per_interval("c", 0)
