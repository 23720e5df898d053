"""Background tasks of the privacy app: thin, idempotent, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def build_export(export_id: str) -> None:
    """Build one personal-data export; does nothing unless it is still pending."""
    from clipdeck.privacy.export import export_build

    export_build(export_id)
