"""Periodic work of federation: deliveries whose worker died are queued again."""

from __future__ import annotations

from django_tasks import task

from clipdeck.kernel import jobs


@jobs.periodic(name="federation.requeue_overdue", every=300)
@task(priority=jobs.PRIORITY)
def requeue_overdue_deliveries() -> int:
    """Queue again pending deliveries that are past due; how many."""
    from clipdeck.federation.delivery import requeue_overdue

    return requeue_overdue()
