"""Periodic jobs of the studio: renders whose worker died, and what those renders left."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from clipdeck.kernel import jobs
from clipdeck.studio import leases, leftovers, scheduling


def half_a_lease() -> float:
    """Stalled renders are looked for every half lease (at least every 2 s)."""
    return max(2.0, leases.lease_seconds() / 2)


@jobs.periodic(name="studio.requeue_stalled", every=half_a_lease)
@task(priority=jobs.PRIORITY)
def requeue_stalled() -> int:
    """Queue again the renders whose worker died or never started; how many."""
    return leases.requeue_stalled()


@jobs.periodic(name="studio.delete_dead_work_dirs", every=half_a_lease, per_machine=True)
@task(priority=jobs.PRIORITY)
def delete_dead_work_dirs() -> list[str]:
    """Remove this machine's render work folders whose process is gone; their names."""
    return leftovers.delete_dead_work_dirs()


def scheduled_posts_interval() -> float:
    """Seconds between looks for due scheduled posts."""
    return float(settings.CLIPDECK_SCHEDULED_POSTS_INTERVAL_SECONDS)


@jobs.periodic(name="studio.publish_scheduled", every=scheduled_posts_interval)
@task(priority=jobs.PRIORITY)
def publish_scheduled() -> int:
    """Publish the scheduled drafts whose time has come; how many."""
    return scheduling.publish_due()
