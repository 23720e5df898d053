"""Background tasks of moderation: thin, idempotent, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="media")
def fingerprint_removed(video_id: str, decision_id: int) -> None:
    """Fingerprint a removed video for re-upload matching (again: the same result)."""
    from clipdeck.moderation.matching import fingerprint

    fingerprint(video_id, decision_id)
