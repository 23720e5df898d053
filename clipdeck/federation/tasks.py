"""Background tasks of federation: thin, idempotent, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="federation")
def deliver_activity(delivery_id: int) -> str:
    """One attempt at one delivery (see ``clipdeck.federation.delivery``)."""
    from clipdeck.federation.delivery import attempt

    return attempt(delivery_id)


@task(queue_name="federation")
def fetch_remote_video(remote_video_id: int) -> str:
    """Download, re-probe and store a remote video (see ``clipdeck.federation.media``)."""
    from clipdeck.federation.media import import_remote_video

    return import_remote_video(remote_video_id)
