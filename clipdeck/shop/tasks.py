"""Background tasks of the shop: thin, idempotent, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def import_catalog(import_id: str) -> None:
    """Run (or resume after a crash) one catalog import; an ended import is left alone."""
    from clipdeck.shop.imports import import_run

    import_run(import_id)
