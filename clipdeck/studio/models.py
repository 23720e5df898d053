"""Rendering bookkeeping: one job per video, leased by the worker rendering it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from clipdeck.kernel.sealed_fields import SealedTextField


class Layout(models.TextChoices):
    SINGLE = "single", "Single"
    DUET = "duet", "Duet"
    REACT = "react", "React"
    STITCH = "stitch", "Stitch"


class RenderJob(models.Model):
    """How to render a video, and who is rendering it now.

    A worker claims the job by moving ``lease_until`` into the future with a
    conditional update, and keeps extending it while it works. A job whose lease
    ran out while the video is still processing belongs to a worker that died;
    ``requeue_stalled`` hands it to the next worker.
    """

    video = models.OneToOneField(
        "videos.Video", on_delete=models.CASCADE, primary_key=True, related_name="render_job"
    )
    layout = models.CharField(max_length=8, choices=Layout.choices, default=Layout.SINGLE)
    pip = models.JSONField(default=dict, blank=True)
    # A stitch: the part of the original it starts with, {start_ms, end_ms}.
    source_trim = models.JSONField(default=dict, blank=True)
    max_output_ms = models.PositiveIntegerField(default=15_000)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    timings = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"render {self.video_id} ({self.layout}, attempt {self.attempts})"


class ScheduledPost(models.Model):
    """A video to publish at ``publish_at``: until then it stays a draft.

    ``studio.publish_scheduled`` (a periodic job) publishes every due one whose
    render has finished; the row is the schedule, so it survives restarts.
    """

    video = models.OneToOneField(
        "videos.Video", on_delete=models.CASCADE, primary_key=True, related_name="schedule"
    )
    publish_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"publish {self.video_id} at {self.publish_at:%Y-%m-%d %H:%M}"


class Captions(models.Model):
    """A video's captions as WebVTT (normalised on save); as private as the video, and
    sealed with its author's key like the caption text."""

    video = models.OneToOneField(
        "videos.Video", on_delete=models.CASCADE, primary_key=True, related_name="captions"
    )
    vtt = SealedTextField(owner="owner_id", label="studio.Captions.vtt")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"captions of {self.video_id}"

    @property
    def owner_id(self):
        """Whose key seals the text: the video's author."""
        return self.video.author_id


class ExtraOriginal(models.Model):
    """Another file uploaded with a video and used by its edit: a take joined after the
    first (``edit.clips``) or the voice-over (``edit.voiceover``).

    Kept sealed like the video's original, so a draft re-renders from every take;
    deleted with the video (and so with the account).
    """

    class Kind(models.TextChoices):
        TAKE = "take", "Take"
        VOICEOVER = "voiceover", "Voice-over"

    video = models.ForeignKey(
        "videos.Video", on_delete=models.CASCADE, related_name="extra_originals"
    )
    upload = models.CharField(max_length=40)  # the form field name the edit refers to
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to="originals/", max_length=255)
    duration_ms = models.PositiveIntegerField(default=0)  # a take's length, for re-edits
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["video", "upload"], name="one_extra_original_a_name")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.upload} of {self.video_id}"


class AutoCaptionsStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Listening"
    READY = "ready", "Ready for review"
    EMPTY = "empty", "No speech heard"
    FAILED = "failed", "Failed"
    ACCEPTED = "accepted", "Accepted"


class AutoCaptions(models.Model):
    """Captions transcribed on this machine, waiting for the owner's review.

    Never shown to anyone but the owner: publishing means PUTting the reviewed
    text to the video's captions (``Captions``), which marks this ``accepted``.
    """

    video = models.OneToOneField(
        "videos.Video", on_delete=models.CASCADE, primary_key=True, related_name="auto_captions"
    )
    status = models.CharField(
        max_length=10, choices=AutoCaptionsStatus.choices, default=AutoCaptionsStatus.QUEUED
    )
    vtt = SealedTextField(owner="owner_id", label="studio.AutoCaptions.vtt")
    message = models.CharField(max_length=300, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"auto-captions of {self.video_id}: {self.status}"

    @property
    def owner_id(self):
        """Whose key seals the text: the video's author."""
        return self.video.author_id
