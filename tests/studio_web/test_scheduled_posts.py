"""Scheduled posting: a draft until ``publish_at``, then published by the jobs registry,
even when every process restarted in between."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from django.utils import timezone

from clipdeck.kernel import jobs
from clipdeck.studio.models import ScheduledPost
from clipdeck.studio.scheduling import publish_due
from clipdeck.videos.models import Video, VideoStatus
from tests.factories import UserFactory
from tests.studio_web.conftest import rendered, upload
from tests.worker_processes import start_worker, stop, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def _at(seconds: float) -> str:
    return (timezone.now() + dt.timedelta(seconds=seconds)).isoformat()


def test_scheduled_video_stays_a_draft_until_its_time(api, user, portrait_clip, run_worker):
    body = rendered(api(user), portrait_clip, run_worker, publish_at=_at(3600))

    assert body["status"] == "draft"
    assert api().get(f"videos/{body['id']}").status_code == 404  # nobody else sees it yet
    assert publish_due() == 0

    assert publish_due(now=timezone.now() + dt.timedelta(hours=1, seconds=1)) == 1

    assert api().get(f"videos/{body['id']}").json()["status"] == "published"
    assert not ScheduledPost.objects.exists()


def test_the_registered_job_publishes_what_is_due(api, user, portrait_clip, run_worker):
    body = rendered(api(user), portrait_clip, run_worker, publish_at=_at(3600))
    ScheduledPost.objects.update(publish_at=timezone.now() - dt.timedelta(seconds=1))

    job = next(j for j in jobs.registered() if j.name == "studio.publish_scheduled")
    assert job.interval() <= 60  # within a minute of its time
    assert job.task.call() == 1

    assert Video.objects.get(pk=body["id"]).status == VideoStatus.PUBLISHED


@pytest.mark.parametrize(
    ("publish_at", "message"),
    [
        ("2020-01-01T00:00:00Z", "publish_at must be in the future."),
        ("2999-01-01T00:00:00Z", "Posts can be scheduled at most 90 days ahead."),
        ("2030-01-01T00:00:00", "publish_at needs a time zone, e.g. 2026-05-01T18:00:00Z."),
    ],
)
def test_bad_publish_at_is_refused(api, user, portrait_clip, publish_at, message):
    response = upload(api(user), portrait_clip, publish_at=publish_at)

    assert response.status_code == 400
    assert response.json()["error"]["message"] == message
    assert Video.objects.count() == 0


def test_a_failed_render_is_never_published_and_an_early_publish_wins(
    api, user, portrait_clip, run_worker
):
    early = rendered(api(user), portrait_clip, run_worker, publish_at=_at(3600))
    api(user).post(f"videos/{early['id']}/publish")
    Video.objects.filter(pk=early["id"]).update(published_at=timezone.now())
    failed = rendered(api(user), portrait_clip, run_worker, publish_at=_at(3600))
    Video.objects.filter(pk=failed["id"]).update(status=VideoStatus.FAILED)

    assert publish_due(now=timezone.now() + dt.timedelta(hours=2)) == 0

    assert Video.objects.get(pk=failed["id"]).status == VideoStatus.FAILED
    assert not ScheduledPost.objects.exists()


@pytest.mark.slow
@pytest.mark.xdist_group("worker_processes")
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="worker processes")
def test_a_restart_before_the_time_still_publishes_on_time(api, portrait_clip, shared_db, tmp_path):
    author = UserFactory()  # in the shared database
    env = {**shared_db.env(), "CLIPDECK_SCHEDULED_POSTS_INTERVAL_SECONDS": "1"}
    publish_at = timezone.now() + dt.timedelta(seconds=25)
    video_id = upload(api(author), portrait_clip, publish_at=publish_at.isoformat()).json()["id"]

    first = start_worker(env, tmp_path / "a.log")
    try:
        wait_until(lambda: Video.objects.get(pk=video_id).status == VideoStatus.DRAFT, 60,
                   "the render", step=0.2)  # fmt: skip
    finally:
        stop(first)  # every process of the cell stops before the time
    assert timezone.now() < publish_at
    assert Video.objects.get(pk=video_id).status == VideoStatus.DRAFT

    second = start_worker(env, tmp_path / "b.log")
    try:
        wait_until(lambda: Video.objects.get(pk=video_id).status == VideoStatus.PUBLISHED, 90,
                   "the scheduled publish", step=0.2)  # fmt: skip
    finally:
        stop(second)
    published_at = Video.objects.get(pk=video_id).published_at
    assert publish_at <= published_at <= publish_at + dt.timedelta(seconds=60)
