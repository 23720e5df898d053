"""The videos app's personal data: declarations, export, erasure and pruning."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.fields.files import FieldFile

from clipdeck.kernel.gateway import register_reader
from clipdeck.kernel.personal_data import DataClass, Retention, declare, iso, register
from clipdeck.kernel.storage import delete_on_commit
from clipdeck.videos.models import (
    CaptionWord,
    Comment,
    CommentLike,
    Favorite,
    Hashtag,
    Like,
    Share,
    Sound,
    Video,
    ViewerFilter,
)

PUB, PROT, INT = DataClass.PUBLIC, DataClass.PROTECTED, DataClass.INTERNAL
VIDEO = "Until the video is deleted or the account erased."

declare(
    Hashtag,
    {
        "id": (INT, "Internal key.", Retention.OPERATIONAL),
        "name": (PUB, "Hashtag pages and search.", Retention.OPERATIONAL),
        "created_at": (INT, "Trending hashtags.", Retention.OPERATIONAL),
    },
)
declare(
    Sound,
    {
        "id": (INT, "Internal key.", Retention.OPERATIONAL),
        "title": (PUB, "The sound's name in the library.", VIDEO),
        "artist": (PUB, "Credit.", VIDEO),
        "genre": (PUB, "Browsing the library by genre.", VIDEO),
        "licence": (PUB, "Terms of reuse.", VIDEO),
        "duration_ms": (PUB, "Shown in the music picker.", VIDEO),
        "audio": (PUB, "The audio file played and mixed into videos.", VIDEO),
        "is_original": (PUB, "Whether the sound came from a video.", VIDEO),
        "source_video": (
            PUB,
            "The video an original sound came from (visible only with it).",
            VIDEO,
        ),
        "created_by": (PUB, "Credit for an original sound.", VIDEO),
        "created_at": (INT, "Ordering.", VIDEO),
        "removed": (INT, "Whether moderation removed the sound.", VIDEO),
    },
)
declare(
    Video,
    {
        "id": (INT, "Unguessable key used in links.", VIDEO),
        "author": (PUB, "Who made the video (protected while it is not public).", VIDEO),
        "caption": (
            PUB,
            "Shown with the video (protected while it is not public); stored sealed with "
            "the author's data key.",
            VIDEO,
        ),
        "hashtags": (PUB, "Hashtag pages.", VIDEO),
        "mentions": (PUB, "Links to mentioned accounts.", VIDEO),
        "status": (INT, "Processing state.", VIDEO),
        "keep_as_draft": (PROT, "The owner's choice to keep a draft.", VIDEO),
        "error_code": (INT, "Why processing failed, shown to the owner.", VIDEO),
        "error_message": (INT, "Why processing failed, shown to the owner.", VIDEO),
        "visibility": (PROT, "Who the owner lets see the video.", VIDEO),
        "moderation_state": (
            PROT,
            "What a moderation decision did to the video (its statement of reasons explains it).",
            VIDEO,
        ),
        "allow_duet": (PUB, "Whether others may duet.", VIDEO),
        "allow_react": (PUB, "Whether others may react.", VIDEO),
        "allow_stitch": (PUB, "Whether others may stitch.", VIDEO),
        "allow_comments": (PUB, "Whether others may comment.", VIDEO),
        "edit": (PROT, "The owner's edit (trim, speed, filter, music), to re-render.", VIDEO),
        "sound": (PUB, "The sound used.", VIDEO),
        "remix_of": (PUB, "Credit for a duet or reaction.", VIDEO),
        "remix_kind": (PUB, "Duet, reaction or stitch.", VIDEO),
        "withheld_reason": (
            INT,
            "Why a remix is shown to its owner only (its source stopped being public).",
            VIDEO,
        ),
        "original": (
            PROT,
            "The uploaded file, kept for re-editing and export; stored sealed with the "
            "author's data key.",
            VIDEO,
        ),
        "mp4": (
            PUB,
            "The rendered video (signed URLs while it is not public); stored sealed.",
            VIDEO,
        ),
        "mp4_720": (PUB, "A smaller rendition for slow connections.", VIDEO),
        "poster": (PUB, "The still shown before playback.", VIDEO),
        "duration_ms": (PUB, "Player and feed.", VIDEO),
        "width": (PUB, "Player layout.", VIDEO),
        "height": (PUB, "Player layout.", VIDEO),
        "like_count": (PUB, "Shown counts.", VIDEO),
        "comment_count": (PUB, "Shown counts.", VIDEO),
        "share_count": (PUB, "Shown counts.", VIDEO),
        "view_count": (PUB, "Shown counts.", VIDEO),
        "created_at": (PROT, "When the owner made it (drafts stay private).", VIDEO),
        "published_at": (PUB, "When it went live.", VIDEO),
        "pinned_at": (PUB, "The owner pinned it to the top of their profile.", VIDEO),
    },
)
declare(
    Like,
    {
        "id": (INT, "Internal key.", Retention.ACCOUNT),
        "user": (PROT, "Who liked: counts, and the owner's liked list.", Retention.ACCOUNT),
        "video": (PROT, "What was liked.", Retention.ACCOUNT),
        "created_at": (PROT, "Order of the liked list.", Retention.ACCOUNT),
    },
)
declare(
    Comment,
    {
        "id": (INT, "Internal key.", Retention.ACCOUNT),
        "video": (PUB, "Where the comment is shown.", Retention.ACCOUNT),
        "author": (PUB, "Who wrote it, shown beside it.", Retention.ACCOUNT),
        "text": (PUB, "The comment, shown to those who can see the video.", Retention.ACCOUNT),
        "parent": (PUB, "The comment this one replies to.", Retention.ACCOUNT),
        "like_count": (PUB, "Shown count.", Retention.ACCOUNT),
        "reply_count": (PUB, 'Shown count ("view N replies").', Retention.ACCOUNT),
        "pinned_at": (PUB, "The video's owner pinned it to the top.", Retention.ACCOUNT),
        "created_at": (PUB, "Ordering and display.", Retention.ACCOUNT),
        "state": (
            PROT,
            "Held for the video owner's approval, or removed by moderation.",
            Retention.ACCOUNT,
        ),
    },
)
declare(
    CaptionWord,
    {
        "id": (INT, "Internal key.", VIDEO),
        "video": (PROT, "The video whose caption holds the word.", VIDEO),
        "word": (
            PROT,
            "A word of the caption (case and accents folded), so viewer filters can hide "
            "it; derived, left out of backups and rebuilt from the sealed caption.",
            VIDEO,
        ),
    },
)
declare(
    ViewerFilter,
    {
        "id": (INT, "Internal key.", Retention.ACCOUNT),
        "user": (PROT, "Whose filters these are.", Retention.ACCOUNT),
        "keywords": (PROT, "Words the viewer never wants to see.", Retention.ACCOUNT),
        "hashtags": (PROT, "Hashtags the viewer never wants to see.", Retention.ACCOUNT),
        "updated_at": (PROT, "When the viewer last changed them.", Retention.ACCOUNT),
    },
)
declare(
    CommentLike,
    {
        "id": (INT, "Internal key.", Retention.ACCOUNT),
        "user": (
            PROT,
            "Who liked the comment: the count and their liked state.",
            Retention.ACCOUNT,
        ),
        "comment": (PROT, "What was liked.", Retention.ACCOUNT),
        "created_at": (PROT, "When.", Retention.ACCOUNT),
    },
)
declare(
    Favorite,
    {
        "id": (INT, "Internal key.", Retention.ACCOUNT),
        "user": (PROT, "Whose favourites: only they see them.", Retention.ACCOUNT),
        "video": (PROT, "The saved video.", Retention.ACCOUNT),
        "created_at": (PROT, "Order of the favourites list.", Retention.ACCOUNT),
    },
)
declare(
    Share,
    {
        "id": (INT, "Internal key.", Retention.EVENTS),
        "video": (PROT, "What was shared, for counts.", Retention.EVENTS),
        "user": (PROT, "Who shared, for the sharer's own activity.", Retention.EVENTS),
        "created_at": (PROT, "When.", Retention.EVENTS),
    },
)

SHARES_KEPT = timedelta(days=90)  # Retention.EVENTS


# --- export -------------------------------------------------------------------


def export(user) -> dict:
    """The user's videos (with edit specs), comments, likes and shares."""
    return {
        "videos": _videos(user),
        "comments": _comments(user),
        "likes": _likes(user),
        "shares": _shares(user),
        "filters": _filters(user),
        "favorites": _favorites(user),
        "comment_likes": _comment_likes(user),
    }


def _filters(user) -> dict:
    row = ViewerFilter.objects.filter(user=user).first()
    return {"keywords": row.keywords, "hashtags": row.hashtags} if row else {}


def export_files(user) -> Iterator[tuple[str, FieldFile]]:
    """The original upload of each of the user's videos, under ``originals/``."""
    for video in Video.objects.filter(author=user).exclude(original="").order_by("pk"):
        name = original_name(video)
        if name is not None:
            yield name, video.original


def original_name(video: Video) -> str | None:
    """Where the export holds ``video``'s original upload; None when there is none."""
    uploaded = video.original.name
    if not uploaded:
        return None
    suffix = uploaded.rsplit(".", 1)[-1] if "." in uploaded else "bin"
    return f"originals/{video.pk}.{suffix}"


def _videos(user) -> list[dict]:
    rows = Video.objects.filter(author=user).prefetch_related("hashtags").order_by("created_at")
    return [
        {
            "id": str(video.pk),
            "caption": video.caption,
            "hashtags": sorted(tag.name for tag in video.hashtags.all()),
            "status": video.status,
            "visibility": video.visibility,
            "edit": video.edit,
            "remix_of": str(video.remix_of_id) if video.remix_of_id else None,
            "remix_kind": video.remix_kind or None,
            "withheld_reason": video.withheld_reason or None,
            "sound_id": video.sound_id,
            "allow_duet": video.allow_duet,
            "allow_react": video.allow_react,
            "allow_stitch": video.allow_stitch,
            "allow_comments": video.allow_comments,
            "duration_ms": video.duration_ms,
            "original_upload": original_name(video),
            "created_at": iso(video.created_at),
            "published_at": iso(video.published_at),
        }
        for video in rows
    ]


def _comments(user) -> list[dict]:
    rows = Comment.objects.filter(author=user).order_by("created_at")
    return [
        {"video": str(c.video_id), "text": c.text, "created_at": iso(c.created_at)} for c in rows
    ]


def _likes(user) -> list[dict]:
    rows = Like.objects.filter(user=user).order_by("created_at")
    return [{"video": str(like.video_id), "created_at": iso(like.created_at)} for like in rows]


def _favorites(user) -> list[dict]:
    rows = Favorite.objects.filter(user=user).order_by("created_at")
    return [{"video": str(f.video_id), "created_at": iso(f.created_at)} for f in rows]


def _comment_likes(user) -> list[dict]:
    rows = CommentLike.objects.filter(user=user).order_by("created_at")
    return [{"comment": c.comment_id, "created_at": iso(c.created_at)} for c in rows]


def _shares(user) -> list[dict]:
    rows = Share.objects.filter(user=user).order_by("created_at")
    return [{"video": str(s.video_id), "created_at": iso(s.created_at)} for s in rows]


# --- erasure ------------------------------------------------------------------


def erase(user) -> None:
    """Delete the user's videos and the remixes built on them, with every file.

    Duets and reactions by others go too (transitively): every frame of a
    rendered remix shows the erased person. The user's likes and comments go
    here rather than with the account, so that the videos they touched can be
    recounted now; the files of sounds the user uploaded go once the erasure commits.
    """
    from clipdeck.videos.services import video_delete

    doomed = _with_remixes(Video.objects.filter(author=user))
    touched = _engaged_videos(user, exclude=doomed)
    for video in Video.objects.filter(pk__in=doomed):
        video_delete(video=video)
    Like.objects.filter(user=user).delete()
    liked_comments = set(CommentLike.objects.filter(user=user).values_list("comment_id", flat=True))
    replied_to = set(
        Comment.objects.filter(author=user, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    CommentLike.objects.filter(user=user).delete()
    Comment.objects.filter(author=user).delete()
    ViewerFilter.objects.filter(user=user).delete()
    _recount(touched)
    _recount_comments(liked_comments | replied_to)
    for sound in Sound.objects.filter(created_by=user):
        delete_on_commit(sound.audio)


def _with_remixes(videos: QuerySet) -> set:
    """Ids of ``videos`` and every duet or reaction built on them, transitively."""
    found = set(videos.values_list("pk", flat=True))
    frontier = set(found)
    while frontier:
        frontier = (
            set(Video.objects.filter(remix_of__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return found


def _engaged_videos(user, *, exclude: set) -> set:
    liked = Like.objects.filter(user=user).values_list("video_id", flat=True)
    commented = Comment.objects.filter(author=user).values_list("video_id", flat=True)
    return (set(liked) | set(commented)) - exclude


def _recount(video_ids: set) -> None:
    counted = Video.objects.filter(pk__in=video_ids).annotate(
        n_likes=Count("likes", distinct=True),
        n_comments=Count("comments", filter=Q(comments__state=""), distinct=True),
    )
    for video in counted:
        Video.objects.filter(pk=video.pk).update(
            like_count=video.n_likes, comment_count=video.n_comments
        )


def _recount_comments(comment_ids: set) -> None:
    counted = Comment.objects.filter(pk__in=comment_ids).annotate(
        n_likes=Count("likes", distinct=True), n_replies=Count("replies", distinct=True)
    )
    for comment in counted:
        Comment.objects.filter(pk=comment.pk).update(
            like_count=comment.n_likes, reply_count=comment.n_replies
        )


# --- retention ----------------------------------------------------------------


def prune(now: datetime) -> dict[str, int]:
    """Delete shares past their retention."""
    return {"shares": shares_prune(now)}


def shares_prune(now: datetime) -> int:
    """Delete shares older than 90 days; how many. Share counts on videos stay."""
    deleted, _ = Share.objects.filter(created_at__lt=now - SHARES_KEPT).delete()
    return deleted


register(
    "videos",
    export=export,
    export_files=export_files,
    erase=erase,
    prune=prune,
    prunes=("videos.Share",),
)


def _handles(people) -> str:
    return ", ".join(f"@{person.handle}" for person in people.all()) or "none"


def _names(tags) -> str:
    return ", ".join(f"#{tag.name}" for tag in tags.all()) or "none"


# What the back office reveals through the access gateway (with a reason, audited).
register_reader("videos.Video", "caption", lambda video: video.caption)
register_reader("videos.Video", "mentions", lambda video: _handles(video.mentions))
register_reader("videos.Video", "hashtags", lambda video: _names(video.hashtags))
register_reader("videos.Video", "edit", lambda video: json.dumps(video.edit, sort_keys=True))
register_reader("videos.Video", "visibility", lambda video: video.visibility)
register_reader("videos.Video", "keep_as_draft", lambda video: str(video.keep_as_draft))
register_reader("videos.Video", "created_at", lambda video: video.created_at.isoformat())
register_reader(
    "videos.Comment",
    "author",
    lambda comment: f"@{comment.author.handle}" if comment.author_id else "an erased account",
)
register_reader("videos.Comment", "text", lambda comment: comment.text)
