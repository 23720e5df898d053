"""Reads for videos, all starting from the visibility policy."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet, Value

from clipdeck.accounts.models import Follow, User
from clipdeck.videos.filters import without_filtered_comments, without_filtered_videos
from clipdeck.videos.models import (
    Comment,
    CommentLike,
    Like,
    ModerationState,
    Sound,
    Video,
    VideoStatus,
)


def with_relations(queryset: QuerySet[Video]) -> QuerySet[Video]:
    """Everything the video presenter reads, in a fixed number of queries.

    ``has_captions``: whether the studio holds published captions for it (found
    through the reverse relation ``studio.Captions`` declares, in the same query).
    """
    captioned = Video.objects.filter(pk=OuterRef("pk"), captions__isnull=False)
    return (
        # The model declares ``has_captions`` for the presenters; this fills it in.
        queryset.annotate(has_captions=Exists(captioned))  # type: ignore[no-redef]
        .select_related(
            "author",
            "sound",
            "sound__created_by",
            "sound__source_video__author",
            "remix_of",
            "remix_of__author",
        )
        .prefetch_related("hashtags", "mentions")
    )


def profile_videos(viewer: User | None, owner: User) -> QuerySet[Video]:
    """``owner``'s published videos that ``viewer`` may see."""
    return with_relations(
        Video.objects.visible_to(viewer).filter(author=owner, status=VideoStatus.PUBLISHED)
    )


def pinned_videos(viewer: User | None, owner: User) -> list[Video]:
    """The (at most three) videos ``owner`` pinned that ``viewer`` may see, last pinned first."""
    pinned = profile_videos(viewer, owner).filter(pinned_at__isnull=False)
    return list(pinned.order_by("-pinned_at"))


def profile_video_counts(owner: User) -> dict[str, int]:
    """The ``videos`` and ``likes`` numbers of a profile: its published videos and their likes."""
    published = Video.objects.filter(
        author=owner,
        status=VideoStatus.PUBLISHED,
        moderation_state__in=[ModerationState.NONE, ModerationState.AGE_GATED],
    )
    return {
        "videos": published.count(),
        "likes": sum(published.values_list("like_count", flat=True)),
    }


def drafts_of(owner: User) -> QuerySet[Video]:
    """The owner's drafts, videos still rendering or failed, withheld remixes (R2) and
    videos restricted or held by moderation (V8).

    Never anyone else's: everything here is for the owner's eyes only.
    """
    only_theirs = (
        ~Q(status=VideoStatus.PUBLISHED)
        | ~Q(withheld_reason="")
        | Q(moderation_state__in=[ModerationState.RESTRICTED, ModerationState.HELD])
    )
    return with_relations(Video.objects.filter(only_theirs, author=owner))


def comments_on(viewer: User | None, video: Video) -> QuerySet[Comment]:
    """The top-level comments on ``video`` that ``viewer`` may read (C1–C3), with their liked
    state, less those their filters hide."""
    top_level = Comment.objects.visible_to(viewer).filter(video=video, parent__isnull=True)
    comments = without_filtered_comments(top_level, viewer)
    return _with_liked(comments, viewer).select_related("author")


def replies_to(viewer: User | None, comment: Comment) -> QuerySet[Comment]:
    """The replies to ``comment`` that ``viewer`` may read, oldest first, less those
    their filters hide."""
    replies = without_filtered_comments(
        Comment.objects.visible_to(viewer).filter(parent=comment), viewer
    )
    return _with_liked(replies, viewer).select_related("author").order_by("created_at", "pk")


def _with_liked(comments: QuerySet[Comment], viewer: User | None) -> QuerySet[Comment]:
    if viewer is None:
        return comments.annotate(viewer_liked=Value(False))
    mine = CommentLike.objects.filter(comment=OuterRef("pk"), user=viewer)
    return comments.annotate(viewer_liked=Exists(mine))


def liked_ids(viewer: User | None, videos: Iterable[Video]) -> set:
    """Which of ``videos`` the viewer liked, in one query."""
    if viewer is None:
        return set()
    ids = [video.pk for video in videos]
    return set(
        Like.objects.filter(user=viewer, video_id__in=ids).values_list("video_id", flat=True)
    )


def author_follow_states(viewer: User | None, videos: Iterable[Video]) -> dict:
    """How the viewer follows each video's author (``following``/``requested``), one query."""
    if viewer is None:
        return {}
    authors = {video.author_id for video in videos}
    rows = Follow.objects.filter(follower=viewer, followee_id__in=authors)
    return dict(rows.values_list("followee_id", "state"))


def sounds(genre: str | None = None) -> QuerySet[Sound]:
    library = Sound.objects.filter(is_original=False).select_related("created_by")
    return library.filter(genre__iexact=genre) if genre else library


def sound_videos(viewer: User | None, sound: Sound) -> QuerySet[Video]:
    """Videos using ``sound`` that ``viewer`` may see, less those their filters hide."""
    videos = Video.objects.visible_to(viewer).filter(sound=sound, status=VideoStatus.PUBLISHED)
    return with_relations(without_filtered_videos(videos, viewer))


def hashtag_videos(viewer: User | None, name: str) -> QuerySet[Video]:
    """Published videos tagged ``#name`` that ``viewer`` may see, less those filtered."""
    videos = Video.objects.visible_to(viewer).filter(
        status=VideoStatus.PUBLISHED, hashtags__name=name.lower()
    )
    return with_relations(without_filtered_videos(videos, viewer))
