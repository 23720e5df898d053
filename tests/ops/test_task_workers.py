"""Real ``clipdeck worker`` processes draining the queue.

* Three workers on PostgreSQL (``SELECT … FOR UPDATE SKIP LOCKED``) run every task
  exactly once to completion, even when one of them is SIGKILLed mid-task: its task
  goes back to the queue when its heartbeats stop, and another worker finishes it.
* SIGTERM is a graceful stop: the worker finishes the task it runs (a render
  included), takes no other, and exits 0 — alone or under ``--concurrency N``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from clipdeck.studio.engine.synth import make_clip
from clipdeck.studio.models import RenderJob
from clipdeck.videos.models import Video, VideoStatus
from tests.factories import UserFactory
from tests.ops.tasks import record, runs
from tests.studio_web.conftest import upload
from tests.worker_processes import PROJECT_ROOT, is_alive, start_worker, stop, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("worker_processes"),
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]
on_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="SKIP LOCKED with several workers needs PostgreSQL (DATABASE_URL=postgres://…)",
)

STALE_SECONDS = 2
QUICK_TASKS = 30


@pytest.fixture
def worker_env(shared_db) -> dict[str, str]:
    return {**shared_db.env(), "CLIPDECK_WORKER_STALE_SECONDS": str(STALE_SECONDS)}


@pytest.fixture
def ledger(tmp_path) -> Path:
    folder = tmp_path / "ledger"
    folder.mkdir()
    return folder


def statuses() -> dict[str, int]:
    """How many of this test's tasks are in each state (the workers' periodic jobs aside)."""
    found: dict[str, int] = {}
    ours = DBTaskResult.objects.filter(task_path=record.module_path)
    for status in ours.values_list("status", flat=True):
        found[status] = found.get(status, 0) + 1
    return found


def logs(folder: Path) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(folder.glob("*.log")))


@on_postgres
def test_three_workers_run_every_task_once_even_when_one_is_killed(worker_env, ledger, tmp_path):
    victim = record.enqueue("victim", str(ledger), 4.0)
    keys = [f"t{n:02d}" for n in range(QUICK_TASKS)]
    for key in keys:
        record.enqueue(key, str(ledger), 0.2)
    workers = [start_worker(worker_env, tmp_path / f"w{n}.log") for n in range(3)]
    try:
        runner = wait_until(lambda: runs(ledger, "victim", "start"), 120, "the victim to start")[0]
        assert runner in {w.pid for w in workers}
        os.kill(runner, signal.SIGKILL)
        wait_until(
            lambda: statuses() == {"SUCCESSFUL": QUICK_TASKS + 1},
            180,
            "the queue to drain",
            step=0.2,
        )
    except AssertionError:
        print(logs(tmp_path))
        raise
    finally:
        for process in workers:
            stop(process)

    for key in keys:
        assert len(runs(ledger, key, "start")) == 1, key
        assert len(runs(ledger, key, "done")) == 1, key
    finisher = runs(ledger, "victim", "done")
    assert len(finisher) == 1 and finisher[0] != runner
    assert runs(ledger, "victim", "start") == sorted([runner, finisher[0]])
    assert len(DBTaskResult.objects.get(pk=victim.id).worker_ids) == 2
    survivors = {w.pid for w in workers} - {runner}
    done_by = {pid for key in keys for pid in runs(ledger, key, "done")}
    assert done_by <= {w.pid for w in workers}
    assert len(done_by & survivors) >= 1


@pytest.fixture(scope="module")
def heavy_clip(tmp_path_factory) -> str:
    """A clip whose render (with a blur preset) takes a few seconds."""
    folder = tmp_path_factory.mktemp("graceful")
    return make_clip(folder / "heavy.mp4", seconds=4.0, width=540, height=960, scene="gradient")


def test_sigterm_finishes_the_render_in_flight_and_takes_no_more(
    api, heavy_clip, worker_env, ledger, tmp_path
):
    owner = UserFactory()
    video_id = upload(api(owner), heavy_clip, edit='{"filter": "dream"}').json()["id"]
    behind = record.enqueue("behind", str(ledger))
    worker = start_worker(worker_env, tmp_path / "worker.log")
    try:
        wait_until(
            lambda: RenderJob.objects.filter(pk=video_id, lease_until__isnull=False).exists(),
            120,
            "the render to start",
        )
        worker.send_signal(signal.SIGTERM)
        returncode = worker.wait(timeout=300)
    except BaseException:
        stop(worker)
        print(logs(tmp_path))
        raise

    assert returncode == 0, logs(tmp_path)
    video = Video.objects.get(pk=video_id)
    assert (video.status, video.error_code) == (VideoStatus.PUBLISHED, "")
    assert RenderJob.objects.get(pk=video_id).attempts == 1
    assert DBTaskResult.objects.get(pk=behind.id).status == "READY"
    assert runs(ledger, "behind", "start") == []


def test_sigterm_to_a_supervisor_lets_each_worker_finish_its_task(worker_env, ledger, tmp_path):
    first = record.enqueue("first", str(ledger), 3.0)
    second = record.enqueue("second", str(ledger), 3.0)
    third = record.enqueue("third", str(ledger), 3.0)
    with open(tmp_path / "supervisor.log", "ab") as out:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "clipdeck.cli", "worker", "--concurrency", "2"],
            cwd=PROJECT_ROOT,
            env=worker_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        started = wait_until(
            lambda: len(list(ledger.glob("*.start"))) == 2 and list(ledger.glob("*.start")),
            120,
            "two tasks to start",
        )
        supervisor.send_signal(signal.SIGTERM)
        returncode = supervisor.wait(timeout=120)
    except BaseException:
        stop(supervisor)
        print(logs(tmp_path))
        raise

    assert returncode == 0, logs(tmp_path)
    pids = {int(path.name.split(".")[1]) for path in started}
    assert len(pids) == 2
    assert not any(is_alive(pid) for pid in pids)
    outcomes = DBTaskResult.objects.filter(pk__in=[first.id, second.id, third.id])
    assert sorted(outcomes.values_list("status", flat=True)) == [
        "READY",
        "SUCCESSFUL",
        "SUCCESSFUL",
    ]
    assert len(list(ledger.glob("*.done"))) == 2
