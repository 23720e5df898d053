"""Background tasks of the studio: thin, idempotent, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="media")
def render_video(video_id: str) -> None:
    """Render one video; does nothing when another worker holds it or it is done."""
    from clipdeck.studio.rendering import render

    render(video_id)


def enqueue_render(video_id) -> None:
    """Queue a render (call from ``transaction.on_commit``)."""
    render_video.enqueue(str(video_id))


@task(queue_name="media")
def seed_music_library() -> int:
    """Generate the music library's missing tracks (a fresh cell); how many exist."""
    from clipdeck.studio.music_library import seed_library

    return len(seed_library())


@task(queue_name="media")
def auto_caption(video_id: str) -> str:
    """Transcribe one video's speech into suggested captions; the status it ends in."""
    from clipdeck.studio.auto_captions import transcribe_video

    return transcribe_video(video_id)
