"""Periodic jobs of the shop: checkouts that a crash left pending."""

from __future__ import annotations

from django_tasks import task

from clipdeck.kernel import jobs
from clipdeck.shop import recovery

SETTLE_EVERY_SECONDS = 60.0


@jobs.periodic(name="shop.settle_stale_orders", every=SETTLE_EVERY_SECONDS)
@task(priority=jobs.PRIORITY)
def settle_stale_orders() -> int:
    """Settle pending orders older than the pending timeout; how many."""
    return recovery.settle_stale_orders()
