"""What goes into the search index: only what any viewer may find.

Videos: published, public, of a public and active account, not withheld
(``is_public``). Accounts: active ones (a private account is findable by its
name; its videos are not). Hashtags with at least one such video. Library
sounds, and original sounds whose video is public.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

from django.db.models import Count, Q, Sum

from clipdeck.accounts.models import Follow, FollowState, User
from clipdeck.search.index import Document
from clipdeck.videos.models import Hashtag, Sound, Video, VideoStatus, Visibility

PUBLIC_VIDEOS = Q(
    status=VideoStatus.PUBLISHED,
    visibility=Visibility.PUBLIC,
    author__is_private=False,
    author__is_active=True,
    withheld_reason="",
)


def _epoch(when) -> float:
    return when.timestamp() if when else 0.0


def engagement(video: Video) -> float:
    """One number for how much people engage with a video (log-scaled by the ranker)."""
    return (
        video.like_count + 2 * video.comment_count + 3 * video.share_count + 0.1 * video.view_count
    )


def public_videos():
    """The videos the index may hold, with what their documents read."""
    return (
        Video.objects.filter(PUBLIC_VIDEOS)
        .select_related("author", "sound")
        .prefetch_related("hashtags")
    )


def video_document(video: Video) -> Document:
    sound = video.sound
    body = [f"#{tag.name}" for tag in video.hashtags.all()]
    if sound is not None:
        body += [sound.title, sound.artist]
    body += [video.author.handle, video.author.display_name]
    return Document(
        kind="videos",
        ref=str(video.pk),
        title=video.caption,
        body=" ".join(body),
        engagement=engagement(video),
        published=_epoch(video.published_at),
    )


def user_documents(users: Iterable[User]) -> list[Document]:
    users = list(users)
    followers = dict(
        Follow.objects.filter(followee__in=users, state=FollowState.FOLLOWING)
        .values("followee")
        .annotate(n=Count("pk"))
        .values_list("followee", "n")
    )
    return [
        Document(
            kind="users",
            ref=str(user.pk),
            title=f"{user.handle} {user.display_name}",
            body=user.bio,
            engagement=float(followers.get(user.pk, 0)),
        )
        for user in users
    ]


def hashtag_documents(tags: Iterable[Hashtag]) -> list[Document]:
    """Documents of those of ``tags`` that have a public video (the rest are to delete)."""
    counted = (
        Hashtag.objects.filter(pk__in=[tag.pk for tag in tags])
        .annotate(
            public=Count("videos", filter=on_public("videos")),
            views=Sum("videos__view_count", filter=on_public("videos")),
        )
        .filter(public__gt=0)
    )
    return [
        Document(
            kind="hashtags",
            ref=tag.name,
            title=tag.name,
            engagement=tag.public + math.log1p(tag.views or 0),
        )
        for tag in counted
    ]


def on_public(prefix: str) -> Q:
    return Q(**{f"{prefix}__{key}": value for key, value in PUBLIC_VIDEOS.children})


def findable_sounds():
    """Library sounds and the original sounds of public videos."""
    return Sound.objects.filter(
        Q(is_original=False) | Q(source_video__in=Video.objects.filter(PUBLIC_VIDEOS))
    ).select_related("created_by")


def sound_documents(sounds: Iterable[Sound]) -> list[Document]:
    used = dict(
        Video.objects.filter(PUBLIC_VIDEOS, sound__in=[s.pk for s in sounds])
        .values("sound")
        .annotate(n=Count("pk"))
        .values_list("sound", "n")
    )
    return [
        Document(
            kind="sounds",
            ref=str(sound.pk),
            title=sound.title,
            body=" ".join(
                [sound.artist, sound.genre, sound.created_by.handle if sound.created_by else ""]
            ),
            engagement=float(used.get(sound.pk, 0)),
        )
        for sound in sounds
    ]


def everything(batch: int = 500) -> Iterator[list[Document]]:
    """Every document of the index, in batches (for ``rebuild``)."""
    videos = public_videos().order_by("pk")
    for start in range(0, videos.count(), batch):
        yield [video_document(video) for video in videos[start : start + batch]]
    users = User.objects.filter(is_active=True).order_by("pk")
    for start in range(0, users.count(), batch):
        yield user_documents(users[start : start + batch])
    tags = Hashtag.objects.order_by("pk")
    for start in range(0, tags.count(), batch):
        yield hashtag_documents(tags[start : start + batch])
    sounds = findable_sounds().order_by("pk")
    for start in range(0, sounds.count(), batch):
        yield sound_documents(sounds[start : start + batch])
