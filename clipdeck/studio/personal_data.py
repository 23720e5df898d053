from collections.abc import Iterator

from django.db.models.fields.files import FieldFile

from clipdeck.kernel.personal_data import DataClass, declare, register
from clipdeck.studio.models import AutoCaptions, Captions, ExtraOriginal, RenderJob, ScheduledPost

INT, PROT = DataClass.INTERNAL, DataClass.PROTECTED
VIDEO = "Until the video is deleted or the account erased."

declare(
    RenderJob,
    {
        "video": (INT, "The video being rendered.", VIDEO),
        "layout": (PROT, "Single, duet or react: part of the owner's edit.", VIDEO),
        "pip": (PROT, "Where the owner placed the reaction window.", VIDEO),
        "source_trim": (PROT, "Which part of the original a stitch starts with.", VIDEO),
        "max_output_ms": (INT, "The length limit the owner chose.", VIDEO),
        "attempts": (INT, "Retry accounting.", VIDEO),
        "lease_until": (INT, "Which worker holds the job.", VIDEO),
        "enqueued_at": (INT, "Queue latency figures.", VIDEO),
        "started_at": (INT, "Render duration figures.", VIDEO),
        "finished_at": (INT, "Render duration figures.", VIDEO),
        "timings": (INT, "Per-stage timings for operators.", VIDEO),
    },
)

declare(
    ScheduledPost,
    {
        "video": (INT, "The draft to publish.", VIDEO),
        "publish_at": (PROT, "When the owner chose to publish it (deleted once published).", VIDEO),
    },
)

declare(
    Captions,
    {
        "video": (INT, "The video the captions belong to.", VIDEO),
        "vtt": (
            PROT,
            "The captions the owner wrote: shown with the video, as private as it.",
            VIDEO,
        ),
        "updated_at": (INT, "When they last changed.", VIDEO),
    },
)

declare(
    AutoCaptions,
    {
        "video": (INT, "The video whose speech was transcribed.", VIDEO),
        "status": (INT, "Where the transcription stands.", VIDEO),
        "vtt": (
            PROT,
            "Captions transcribed from the video's speech, shown to the owner only "
            "until they publish them.",
            VIDEO,
        ),
        "message": (INT, "Why the transcription found nothing or failed.", VIDEO),
        "requested_at": (INT, "When the owner asked for it.", VIDEO),
        "finished_at": (INT, "When it finished.", VIDEO),
    },
)


declare(
    ExtraOriginal,
    {
        "id": (INT, "Row identity.", VIDEO),
        "video": (INT, "The video the file was uploaded with.", VIDEO),
        "upload": (PROT, "The name the owner's edit gives the file.", VIDEO),
        "kind": (PROT, "A take or the voice-over: part of the owner's edit.", VIDEO),
        "file": (
            PROT,
            "The owner's uploaded take or voice-over, sealed with their key; in the export.",
            VIDEO,
        ),
        "duration_ms": (INT, "The take's length, to check a re-edit's length.", VIDEO),
        "created_at": (INT, "When it was uploaded.", VIDEO),
    },
)


def export(user) -> dict:
    """The captions, suggested captions and scheduled times of the user's videos
    (erased with the videos)."""
    captions = Captions.objects.filter(video__author=user).order_by("video_id")
    suggested = AutoCaptions.objects.filter(video__author=user).exclude(vtt="")
    schedules = ScheduledPost.objects.filter(video__author=user).order_by("video_id")
    return {
        "captions": [{"video": str(c.video_id), "vtt": c.vtt} for c in captions],
        "suggested_captions": [
            {"video": str(a.video_id), "status": a.status, "vtt": a.vtt}
            for a in suggested.order_by("video_id")
        ],
        "scheduled_posts": [
            {"video": str(s.video_id), "publish_at": s.publish_at.isoformat()} for s in schedules
        ],
    }


def export_files(user) -> Iterator[tuple[str, FieldFile]]:
    """Every take and voice-over the user uploaded, beside the videos' originals."""
    extras = ExtraOriginal.objects.filter(video__author=user).order_by("video_id", "upload")
    for extra in extras:
        suffix = extra.file.name.rsplit(".", 1)[-1] if "." in extra.file.name else "bin"
        yield f"originals/{extra.video_id}-{extra.upload}.{suffix}", extra.file


register("studio", export=export, export_files=export_files)
