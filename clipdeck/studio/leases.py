"""Leases on render jobs: which worker renders a video, and for how long.

A worker claims a job with a conditional update (no row locks needed, so the
same code is correct on SQLite and PostgreSQL) and extends the lease from a
heartbeat thread while it works. A lease that runs out means the worker died.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from clipdeck.studio.models import RenderJob
from clipdeck.videos.models import VideoStatus

logger = logging.getLogger(__name__)


def lease_seconds() -> int:
    return settings.CLIPDECK_RENDER_LEASE_SECONDS


def claim(video_id) -> RenderJob | None:
    """Take the job if nobody holds it and the video still needs rendering."""
    now = timezone.now()
    claimed = RenderJob.objects.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now),
        video_id=video_id,
        video__status=VideoStatus.PROCESSING,
    ).update(
        lease_until=now + timedelta(seconds=lease_seconds()),
        attempts=F("attempts") + 1,
        started_at=now,
    )
    if not claimed:
        return None
    return RenderJob.objects.select_related(
        "video", "video__author", "video__sound", "video__remix_of"
    ).get(video_id=video_id)


def release(job: RenderJob, **fields) -> None:
    """Give the lease back, recording ``fields`` (e.g. timings, finished_at)."""
    RenderJob.objects.filter(pk=job.pk).update(lease_until=None, **fields)


class Heartbeat:
    """Extends a job's lease every third of the lease while the block runs."""

    def __init__(self, job: RenderJob) -> None:
        self.job = job
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{job.pk}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        interval = max(1.0, lease_seconds() / 3)
        try:
            while not self._stop.wait(interval):
                until = timezone.now() + timedelta(seconds=lease_seconds())
                RenderJob.objects.filter(pk=self.job.pk).update(lease_until=until)
        except Exception:  # a lost heartbeat must not kill the render
            logger.exception("lease heartbeat failed for %s", self.job.pk)
        finally:
            connection.close()


def stalled_jobs():
    """Jobs of videos still processing whose worker died or never started."""
    now = timezone.now()
    grace = now - timedelta(seconds=2 * lease_seconds())
    return RenderJob.objects.filter(
        Q(lease_until__lt=now) | Q(lease_until__isnull=True),
        enqueued_at__lt=grace,
        video__status=VideoStatus.PROCESSING,
    )


def requeue_stalled() -> int:
    """Queue again every stalled job; returns how many."""
    from clipdeck.studio.tasks import enqueue_render

    count = 0
    for video_id in list(stalled_jobs().values_list("video_id", flat=True)):
        moved = RenderJob.objects.filter(pk=video_id).update(enqueued_at=timezone.now())
        if moved:
            enqueue_render(video_id)
            count += 1
    if count:
        logger.warning("requeued %d stalled render job(s)", count)
    return count
