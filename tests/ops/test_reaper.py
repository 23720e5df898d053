"""Tasks whose worker died go back to the queue; tasks of live workers stay put."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clipdeck.runtime.models import WorkerHeartbeat
from clipdeck.runtime.workers import beat, requeue_orphaned_tasks
from tests.ops.tasks import record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _short_stale_limit(settings):
    settings.CLIPDECK_WORKER_STALE_SECONDS = 10
    settings.CLIPDECK_TASK_MAX_ATTEMPTS = 3


def running(tmp_path, *, workers: list[str], started_ago: float = 60) -> DBTaskResult:
    """A task claimed by ``workers`` in turn, the last one ``started_ago`` seconds ago."""
    result = record.enqueue("k", str(tmp_path))
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING",
        worker_ids=workers,
        started_at=timezone.now() - timedelta(seconds=started_ago),
    )
    return DBTaskResult.objects.get(pk=result.id)


def silent(worker_id: str, seconds: float) -> None:
    """``worker_id``'s last heartbeat was ``seconds`` ago."""
    beat(worker_id)
    WorkerHeartbeat.objects.filter(pk=worker_id).update(
        last_seen=timezone.now() - timedelta(seconds=seconds)
    )


def test_a_task_of_a_dead_worker_is_queued_again(tmp_path):
    silent("dead", 30)
    task = running(tmp_path, workers=["dead"])
    assert requeue_orphaned_tasks() == 1
    task.refresh_from_db()
    assert (task.status, task.started_at, task.worker_ids) == ("READY", None, ["dead"])


def test_a_worker_that_never_sent_a_heartbeat_counts_as_dead(tmp_path):
    task = running(tmp_path, workers=["unknown"])
    assert requeue_orphaned_tasks() == 1
    assert DBTaskResult.objects.get(pk=task.pk).status == "READY"


def test_a_task_of_a_live_worker_stays_running(tmp_path):
    beat("alive")
    task = running(tmp_path, workers=["alive"], started_ago=3600)
    assert requeue_orphaned_tasks() == 0
    assert DBTaskResult.objects.get(pk=task.pk).status == "RUNNING"


def test_a_just_claimed_task_is_left_alone(tmp_path):
    task = running(tmp_path, workers=["unknown"], started_ago=1)
    assert requeue_orphaned_tasks() == 0
    assert DBTaskResult.objects.get(pk=task.pk).status == "RUNNING"


def test_a_task_that_lost_its_worker_too_often_fails(tmp_path):
    task = running(tmp_path, workers=["w1", "w2", "w3"])
    assert requeue_orphaned_tasks() == 0
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.exception_class_path == "clipdeck.runtime.workers.WorkerLost"
    assert "w1, w2, w3" in task.traceback


def test_finished_tasks_are_never_touched(tmp_path):
    task = running(tmp_path, workers=["gone"])
    DBTaskResult.objects.filter(pk=task.pk).update(status="SUCCESSFUL")
    assert requeue_orphaned_tasks() == 0
    assert DBTaskResult.objects.get(pk=task.pk).status == "SUCCESSFUL"


def test_heartbeats_of_long_gone_workers_are_forgotten():
    silent("ancient", 2 * 24 * 3600)
    beat("recent")
    requeue_orphaned_tasks()
    assert list(WorkerHeartbeat.objects.values_list("pk", flat=True)) == ["recent"]
