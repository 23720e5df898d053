"""Writes for videos: metadata, publishing, likes, comments, shares."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from clipdeck.accounts.models import Block, User
from clipdeck.accounts.policies import ensure_not_suspended
from clipdeck.kernel import ratelimit
from clipdeck.kernel.counting import actor_of, first_in_window
from clipdeck.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from clipdeck.kernel.storage import delete_on_commit
from clipdeck.videos.captions import hashtags_in, mentions_in
from clipdeck.videos.comment_controls import comment_permitted
from clipdeck.videos.counted import count_once, uncount
from clipdeck.videos.models import (
    Comment,
    CommentState,
    Hashtag,
    Like,
    Share,
    Sound,
    Video,
    VideoStatus,
    Visibility,
    WithheldReason,
)
from clipdeck.videos.remixes import remixes_withhold
from clipdeck.videos.signals import comment_made, video_liked, video_published, video_rendered
from clipdeck.videos.visibility import is_public

MAX_CAPTION = 2200
MAX_COMMENT = 500


def _clean_caption(caption: str) -> str:
    caption = (caption or "").strip()
    if len(caption) > MAX_CAPTION:
        raise InvalidInput(
            f"A caption is at most {MAX_CAPTION} characters.",
            code="caption_too_long",
            field="caption",
        )
    return caption


def _clean_visibility(visibility: str) -> str:
    if visibility not in Visibility.values:
        raise InvalidInput(
            "visibility must be one of public, followers or private.",
            code="invalid_visibility",
            field="visibility",
        )
    return visibility


def _sync_caption_links(video: Video) -> None:
    """Point the video's hashtags and mentions at what its caption names."""
    names = hashtags_in(video.caption)
    existing = {h.name: h for h in Hashtag.objects.filter(name__in=names)}
    missing = [Hashtag(name=n) for n in names if n not in existing]
    Hashtag.objects.bulk_create(missing, ignore_conflicts=True)
    video.hashtags.set(Hashtag.objects.filter(name__in=names))
    handles = mentions_in(video.caption)
    blocked_author = Block.objects.filter(blocked=video.author).values("blocker")
    if not handles:
        video.mentions.clear()
        return
    named = Q()
    for handle in handles:
        named |= Q(handle__iexact=handle)
    video.mentions.set(User.objects.filter(named, is_active=True).exclude(pk__in=blocked_author))


@transaction.atomic
def video_create(
    *,
    author: User,
    caption: str = "",
    visibility: str = Visibility.PUBLIC,
    draft: bool = False,
    allow_duet: bool = True,
    allow_react: bool = True,
    allow_stitch: bool = True,
    allow_comments: bool = True,
    edit: dict | None = None,
    **extra,
) -> Video:
    """A new video in ``processing``; the studio renders it and moves it on."""
    ensure_not_suspended(author)
    video = Video.objects.create(
        author=author,
        caption=_clean_caption(caption),
        visibility=_clean_visibility(visibility),
        keep_as_draft=draft,
        allow_duet=allow_duet,
        allow_react=allow_react,
        allow_stitch=allow_stitch,
        allow_comments=allow_comments,
        edit=edit or {},
        **extra,
    )
    _sync_caption_links(video)
    return video


def video_mark_ready(*, video: Video) -> Video:
    """Rendering finished: a draft waits for its owner, anything else goes live.

    ``video_rendered`` goes out first, in the same transaction, so that a
    receiver (re-upload matching) can hold the video before anyone sees it.
    """
    video_rendered.send(sender=Video, video=video)
    video.error_code = video.error_message = ""
    if video.keep_as_draft:
        video.status = VideoStatus.DRAFT
    else:
        video.status = VideoStatus.PUBLISHED
        video.published_at = video.published_at or timezone.now()
    video.save(update_fields=["status", "published_at", "error_code", "error_message"])
    if video.status == VideoStatus.PUBLISHED:
        video_published.send(sender=Video, video=video)
    return video


def video_update(
    *,
    video: Video,
    caption: str | None = None,
    visibility: str | None = None,
    allow_duet: bool | None = None,
    allow_react: bool | None = None,
    allow_stitch: bool | None = None,
    allow_comments: bool | None = None,
    edit: dict | None = None,
) -> Video:
    """The owner changes the caption, visibility or what others may do, or re-edits a
    draft (``edit``: it renders again from its original, see ``signals``).

    A video that stops being for everyone takes its remixes with it (rule R2).
    """
    if edit is not None:
        _request_edit(video, edit)
    fields = []
    if caption is not None:
        video.caption = _clean_caption(caption)
        fields.append("caption")
    if visibility is not None:
        video.visibility = _clean_visibility(visibility)
        fields.append("visibility")
    for name, value in (
        ("allow_duet", allow_duet),
        ("allow_react", allow_react),
        ("allow_stitch", allow_stitch),
        ("allow_comments", allow_comments),
    ):
        if value is not None:
            setattr(video, name, value)
            fields.append(name)
    with transaction.atomic():
        if fields:
            video.save(update_fields=fields)
        if caption is not None:
            _sync_caption_links(video)
        if visibility is not None and not is_public(video):
            remixes_withhold(video, reason=WithheldReason.SOURCE_NOT_PUBLIC)
    return video


def _request_edit(video: Video, edit: dict) -> None:
    from clipdeck.videos.signals import edit_requested

    if video.status not in (VideoStatus.DRAFT, VideoStatus.FAILED):
        raise Conflict(
            f"Only drafts can be edited again; this video is {video.status}.", code="not_a_draft"
        )
    if not edit_requested.send(sender=Video, video=video, edit=edit):
        raise Conflict("Re-editing is not available on this server.", code="edit_unavailable")


def video_publish(*, video: Video) -> Video:
    """A draft goes live. Publishing something still rendering is an error."""
    if video.status == VideoStatus.PUBLISHED:
        return video
    if video.status != VideoStatus.DRAFT:
        raise Conflict(
            f"Only drafts can be published; this video is {video.status}.", code="not_a_draft"
        )
    video.status = VideoStatus.PUBLISHED
    video.keep_as_draft = False
    video.published_at = timezone.now()
    video.save(update_fields=["status", "keep_as_draft", "published_at"])
    video_published.send(sender=Video, video=video)
    return video


def video_delete(*, video: Video) -> None:
    """Delete the video, its media files and its likes, comments and shares.

    Its remixes fall back to their owners (rule R2, a ``pre_delete`` receiver).
    """
    files = [f for f in _media_files(video) if f]
    video.delete()
    for file in files:
        delete_on_commit(file)


def _media_files(video: Video) -> list:
    files = [getattr(video, name, None) for name in ("original", "mp4", "mp4_720", "poster")]
    # The video's own audio, kept as its "original sound", goes with it (the row cascades).
    sound = Sound.objects.filter(source_video=video).first()
    if sound is not None:
        files.append(sound.audio)
    return files


# --- engagement ---------------------------------------------------------------


def like_create(*, user: User, video: Video) -> Video:
    """Like once; liking again changes nothing."""
    count_once(
        Like(user=user, video=video),
        video,
        then=lambda: video_liked.send(sender=Like, user=user, video=video),
    )
    return video


def like_delete(*, user: User, video: Video) -> Video:
    uncount(Like.objects.filter(user=user, video=video), video)
    return video


@transaction.atomic
def comment_create(
    *, author: User, video: Video, text: str, reply_to: Comment | None = None
) -> Comment:
    """Comment on a video the author can see, when its owner allows comments.

    ``reply_to``: a comment on the same video (that the author may see, which
    the caller checks); a reply to a reply joins its thread, one level deep.
    """
    text = (text or "").strip()
    if not text:
        raise InvalidInput("A comment cannot be empty.", code="empty_comment", field="text")
    if len(text) > MAX_COMMENT:
        raise InvalidInput(
            f"A comment is at most {MAX_COMMENT} characters.", code="comment_too_long", field="text"
        )
    ensure_not_suspended(author)
    if not video.allow_comments and video.author_id != author.pk:
        raise Forbidden("Comments are turned off for this video.", code="comments_off")
    if video.status != VideoStatus.PUBLISHED:
        raise NotFound("This video does not exist or is not available.")
    held = video.author_id != author.pk and comment_permitted(
        author=author, owner=video.author, text=text
    )
    state = CommentState.HELD if held else CommentState.SHOWN
    parent = _thread_of(reply_to, video)
    comment = Comment.objects.create(
        video=video, author=author, text=text, parent=parent, state=state
    )
    if state == CommentState.SHOWN:
        Video.objects.filter(pk=video.pk).update(comment_count=F("comment_count") + 1)
        if parent is not None:
            Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
        comment_made.send(sender=Comment, comment=comment)
    return comment


def _thread_of(reply_to: Comment | None, video: Video) -> Comment | None:
    """The top-level comment a reply belongs to (replies are one level deep)."""
    if reply_to is None:
        return None
    if reply_to.video_id != video.pk:
        raise InvalidInput(
            "You can only reply to a comment on the same video.",
            code="reply_elsewhere",
            field="reply_to",
        )
    return reply_to.parent if reply_to.parent_id else reply_to


@transaction.atomic
def share_create(*, video: Video, user: User | None, ip: str | None = None) -> Share:
    """Record one share; the video's public count moves once per sharer and day.

    Anonymous sharers are told apart by their network only, and are rate limited.
    """
    if user is None:
        ratelimit.throttle("count", user_id=None, ip=ip)
    share = Share.objects.create(video=video, user=user)
    actor = actor_of(user_id=user.pk if user else None, ip=ip)
    if first_in_window("share", actor=actor, subject=str(video.pk)):
        Video.objects.filter(pk=video.pk).update(share_count=F("share_count") + 1)
    return share
