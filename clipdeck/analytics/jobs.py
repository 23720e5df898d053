"""Periodic work of analytics: fold recent events into daily rows."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from clipdeck.analytics.aggregation import aggregate_recent
from clipdeck.kernel import jobs


@jobs.periodic(every=lambda: settings.CLIPDECK_ANALYTICS_INTERVAL_SECONDS)
@task(priority=jobs.PRIORITY)
def aggregate_analytics() -> int:
    """Today's and yesterday's rows, recomputed (idempotent)."""
    return aggregate_recent(days=2)
