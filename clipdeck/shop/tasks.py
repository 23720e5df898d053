"""Background tasks of the shop: thin, idempotent, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def import_catalog(import_id: str) -> None:
    """Run (or resume after a crash) one catalog import; an ended import is left alone."""
    from clipdeck.shop.imports import import_run

    import_run(import_id)


@task()
def copy_product_images(product_id: int) -> None:
    """Copy the pictures of one product created through the API into the cell."""
    from clipdeck.shop import images
    from clipdeck.shop.models import ImageState, ProductImage

    images.copy_pending(
        ProductImage.objects.filter(product_id=product_id, state=ImageState.PENDING)
    )
