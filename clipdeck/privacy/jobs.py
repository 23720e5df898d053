"""Periodic jobs of the privacy app: deleting what is past its retention."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from clipdeck.kernel import jobs
from clipdeck.privacy import retention


def retention_interval() -> float:
    """``CLIPDECK_RETENTION_INTERVAL_SECONDS``; 0 turns the job off."""
    return settings.CLIPDECK_RETENTION_INTERVAL_SECONDS


@jobs.periodic(name="privacy.retention", every=retention_interval)
@task(priority=jobs.PRIORITY)
def run_retention() -> dict[str, int]:
    """Delete everything past its retention; how many of each kind went."""
    return retention.run()
