"""Periodic jobs of the shop: checkouts that a crash left pending, product pictures to copy."""

from __future__ import annotations

from django_tasks import task

from clipdeck.kernel import jobs
from clipdeck.shop import images, recovery

SETTLE_EVERY_SECONDS = 60.0
IMAGE_RETRY_EVERY_SECONDS = 900.0


@jobs.periodic(name="shop.settle_stale_orders", every=SETTLE_EVERY_SECONDS)
@task(priority=jobs.PRIORITY)
def settle_stale_orders() -> int:
    """Settle pending orders older than the pending timeout; how many."""
    return recovery.settle_stale_orders()


@jobs.periodic(name="shop.retry_product_images", every=IMAGE_RETRY_EVERY_SECONDS)
@task(priority=jobs.PRIORITY)
def retry_product_images() -> int:
    """Copy the product pictures whose earlier download failed and whose wait is over."""
    return images.retry_images()[images.ImageState.STORED]
