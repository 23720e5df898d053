"""Videos, their captions and hashtags, sounds, likes, comments and shares."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from clipdeck.kernel.sealed_fields import SealedTextField

if TYPE_CHECKING:
    from clipdeck.accounts.models import User


class VideoStatus(models.TextChoices):
    PROCESSING = "processing", "Processing"
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Everyone"
    FOLLOWERS = "followers", "Followers"
    PRIVATE = "private", "Only me"


class RemixKind(models.TextChoices):
    NONE = "", "None"
    DUET = "duet", "Duet"
    REACT = "react", "React"
    STITCH = "stitch", "Stitch"


class WithheldReason(models.TextChoices):
    """Why a remix is shown to its owner only (rule R2 of ``clipdeck.videos.visibility``)."""

    NONE = "", "Not withheld"
    SOURCE_NOT_PUBLIC = (
        "source_not_public",
        "The original video is no longer public, so only you can see this video.",
    )
    SOURCE_DELETED = (
        "source_deleted",
        "The original video was deleted, so only you can see this video.",
    )
    BLOCKED = (
        "blocked",
        "You and the creator of the original video are in a block, so only you can see this video.",
    )


class ModerationState(models.TextChoices):
    """What a moderation decision (or a re-upload match) did to a video.

    The decision itself, its statement of reasons and any appeal live in
    ``clipdeck.moderation``; this is the state every read path obeys
    (``clipdeck.videos.visibility``, rules V7–V9).
    """

    NONE = "", "Not moderated"
    REMOVED = "removed", "Removed"
    RESTRICTED = "restricted", "Restricted to the author"
    AGE_GATED = "age_gated", "Age-gated"
    HELD = "held", "Held for review"


class CommentState(models.TextChoices):
    SHOWN = "", "Shown"
    HELD = "held", "Held for the creator's approval"
    REMOVED = "removed", "Removed by moderation"


class Hashtag(models.Model):
    name = models.CharField(max_length=100, unique=True)  # stored lower-case
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"#{self.name}"


class Sound(models.Model):
    """A track in the music library, or the original audio of a published video."""

    title = models.CharField(max_length=120)
    artist = models.CharField(max_length=120, blank=True)
    genre = models.CharField(max_length=40, blank=True, db_index=True)
    licence = models.CharField(max_length=120, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    audio = models.FileField(upload_to="sounds/", blank=True)
    is_original = models.BooleanField(default=False)
    source_video = models.OneToOneField(
        "Video", null=True, blank=True, on_delete=models.CASCADE, related_name="original_sound"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sounds",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set by a moderation decision: the sound is heard by nobody (rule S3).
    removed = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.title} – {self.artist}" if self.artist else self.title


class VideoQuerySet(models.QuerySet["Video"]):
    def visible_to(self, viewer: User | None) -> VideoQuerySet:
        """Videos ``viewer`` may see (rules V1–V6 of ``clipdeck.videos.visibility``)."""
        from clipdeck.videos.visibility import videos_visible_to

        return videos_visible_to(self, viewer)

    def published(self) -> VideoQuerySet:
        """Only published videos (a filter, not a visibility rule)."""
        return self.filter(status=VideoStatus.PUBLISHED)


class Video(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="videos"
    )
    # Sealed with the author's data key: reads and writes as text, stored encrypted.
    caption = SealedTextField(owner="author_id", label="videos.Video.caption")
    hashtags = models.ManyToManyField(Hashtag, blank=True, related_name="videos")
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in"
    )
    status = models.CharField(
        max_length=12, choices=VideoStatus.choices, default=VideoStatus.PROCESSING
    )
    keep_as_draft = models.BooleanField(default=False)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    allow_duet = models.BooleanField(default=True)
    allow_react = models.BooleanField(default=True)
    allow_stitch = models.BooleanField(default=True)
    allow_comments = models.BooleanField(default=True)
    edit = models.JSONField(default=dict, blank=True)
    sound = models.ForeignKey(
        Sound, null=True, blank=True, on_delete=models.SET_NULL, related_name="videos"
    )
    remix_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="remixes"
    )
    remix_kind = models.CharField(max_length=8, choices=RemixKind.choices, blank=True)
    # Set when the video's remix source (or the video whose original sound it
    # uses) stops being for everyone: the video is then its owner's alone (R2).
    withheld_reason = models.CharField(
        max_length=20, choices=WithheldReason.choices, blank=True, default=""
    )
    # Rules V7–V9: set only by ``clipdeck.moderation`` through ``services.video_moderate``.
    moderation_state = models.CharField(
        max_length=12, choices=ModerationState.choices, blank=True, default=""
    )
    original = models.FileField(upload_to="originals/", blank=True, max_length=255)
    mp4 = models.FileField(upload_to="videos/", blank=True, max_length=255)
    mp4_720 = models.FileField(upload_to="videos/", blank=True, max_length=255)
    poster = models.FileField(upload_to="posters/", blank=True, max_length=255)
    duration_ms = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    share_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    # Set while the owner pins the video to the top of their profile (at most three).
    pinned_at = models.DateTimeField(null=True, blank=True)

    objects = VideoQuerySet.as_manager()

    # Not fields: ``clipdeck.videos.presenters.viewer_state`` sets these on the
    # instances of a page for ``VideoOut`` (liked, and "none"/"requested"/"following").
    viewer_liked: bool
    viewer_author_follow: str
    # Not stored: set by ``presenters.source_state`` for the viewer at hand (rule R3).
    shown_remix_of: Video | None
    shown_sound: Sound | None
    # Not stored: whether it has published captions (``selectors.with_relations``
    # annotates it; ``presenters.viewer_state`` fills it in otherwise).
    has_captions: bool

    class Meta:
        indexes = [
            models.Index(fields=["author", "status", "created_at"]),
            models.Index(fields=["status", "visibility", "created_at"]),
            models.Index(fields=["status", "published_at"]),
            # The most liked public videos, read in order without sorting the catalogue
            # (the feed's trending list).
            models.Index(
                fields=["status", "visibility", "like_count", "id"], name="video_public_likes_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Video {self.pk}"  # a caption may not be public: never in a label


class Like(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes"
    )
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "video"], name="like_once")]

    def __str__(self) -> str:
        return f"Like #{self.pk}"


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible_to(self, viewer: User | None) -> CommentQuerySet:
        """Comments ``viewer`` may read (rules C1–C2 of ``clipdeck.videos.visibility``)."""
        from clipdeck.videos.visibility import comments_visible_to

        return comments_visible_to(self, viewer)


class Comment(models.Model):
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    text = models.CharField(max_length=500)
    # Replies are one level deep: a reply's parent is always a top-level comment.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    like_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    # Set on the one comment the video's owner pinned to the top.
    pinned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Held by the creator's keyword filter, or removed by moderation (rule C3).
    state = models.CharField(max_length=8, choices=CommentState.choices, blank=True, default="")

    objects = CommentQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["video", "created_at"]),
            models.Index(fields=["parent", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Comment #{self.pk}"  # its text may not be public: never in a label

    @property
    def is_held(self) -> bool:
        return self.state == CommentState.HELD

    @property
    def video_id_text(self) -> str:
        return str(self.video_id)


class Share(models.Model):
    """One share of a video; counted, and kept as the sharer's activity."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shares",
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"share of {self.video_id}"


class ViewerFilter(models.Model):
    """Words and hashtags a viewer never wants to see (``clipdeck.videos.filters``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="viewer_filter"
    )
    keywords = models.JSONField(default=list, blank=True)
    hashtags = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"filters of {self.user_id}"


class CaptionWord(models.Model):
    """One distinct word of a video's caption, folded (``clipdeck.videos.caption_words``)."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="caption_words")
    word = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["video", "word"], name="caption_word_once")]
        indexes = [models.Index(fields=["word"])]

    def __str__(self) -> str:
        return f"word of {self.video_id}"


class CommentLike(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="comment_like_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes comment {self.comment_id}"


class Favorite(models.Model):
    """A video someone saved; only they see their favourites."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorites"
    )
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="favorited_by")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "video"], name="favorite_once")]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.video_id}"
