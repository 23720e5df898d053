"""Task workers and their heartbeat outlast a database that is locked for a while."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from clipdeck.kernel.retry import retry_when_locked
from clipdeck.runtime import workers
from clipdeck.runtime.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_a_locked_database_is_retried_with_growing_pauses():
    calls, pauses = [], []

    def locked_twice() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return "done"

    assert retry_when_locked(locked_twice, sleep=pauses.append) == "done"
    assert len(calls) == 3 and pauses[0] < pauses[1]


def test_other_database_errors_are_not_retried():
    calls = []

    def broken() -> None:
        calls.append(1)
        raise OperationalError("no such table: x")

    with pytest.raises(OperationalError):
        retry_when_locked(broken, sleep=lambda _: None)
    assert len(calls) == 1


def test_the_heartbeat_survives_a_locked_database(monkeypatch):
    real = WorkerHeartbeat.objects.filter
    failures = iter([OperationalError("database is locked")] * 2)

    def flaky_filter(*args, **kwargs):
        error = next(failures, None)
        if error is not None:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(WorkerHeartbeat.objects, "filter", flaky_filter)
    monkeypatch.setattr("clipdeck.kernel.retry.time.sleep", lambda _: None)

    workers.beat("worker-1")

    assert WorkerHeartbeat.objects.filter(worker_id="worker-1").exists()
