"""Renders whose worker died are queued again by the studio's periodic job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clipdeck.kernel import jobs
from clipdeck.runtime import scheduler
from clipdeck.studio import leases
from clipdeck.studio.models import RenderJob
from clipdeck.studio.tasks import render_video
from clipdeck.videos.models import VideoStatus
from tests.factories import VideoFactory

pytestmark = pytest.mark.django_db


def render_job(*, queued_ago: float, lease_left: float | None = None) -> RenderJob:
    """A processing video's job, queued ``queued_ago`` seconds ago, leased or not."""
    now = timezone.now()
    video = VideoFactory(status=VideoStatus.PROCESSING, published_at=None)
    return RenderJob.objects.create(
        video=video,
        enqueued_at=now - timedelta(seconds=queued_ago),
        lease_until=None if lease_left is None else now + timedelta(seconds=lease_left),
    )


def renders_queued() -> list[str]:
    rows = DBTaskResult.objects.filter(task_path=render_video.module_path)
    return [row.args_kwargs["args"][0] for row in rows]


# The in-process worker manages its own transactions (as on PostgreSQL in production).
@pytest.mark.django_db(transaction=True)
def test_a_render_whose_lease_ran_out_is_queued_again_and_a_leased_one_is_not(settings):
    settings.CLIPDECK_RENDER_LEASE_SECONDS = 10
    stalled = render_job(queued_ago=30, lease_left=-1)
    never_started = render_job(queued_ago=30)
    working = render_job(queued_ago=30, lease_left=5)
    just_queued = render_job(queued_ago=1)

    assert leases.requeue_stalled() == 2

    assert sorted(renders_queued()) == sorted([str(stalled.pk), str(never_started.pk)])
    assert not {str(working.pk), str(just_queued.pk)} & set(renders_queued())


# The in-process worker manages its own transactions (as on PostgreSQL in production).
@pytest.mark.django_db(transaction=True)
def test_the_scheduler_requeues_stalled_renders_every_half_lease(settings, run_worker):
    settings.CLIPDECK_RENDER_LEASE_SECONDS = 10
    stalled = render_job(queued_ago=30)

    assert jobs.get("studio.requeue_stalled").interval() == 5
    assert "studio.requeue_stalled" in scheduler.tick()
    run_worker()

    assert str(stalled.pk) in renders_queued()
    assert "studio.requeue_stalled" not in scheduler.tick()
