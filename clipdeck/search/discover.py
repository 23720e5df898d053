"""Discover: what is trending now in this cell (a cell serves one region).

Trending is recent activity on public videos of public accounts: views
(counted feed events) and likes in the last ``WINDOW``, plus new posts, summed
per hashtag, sound and creator. Only counts are read, never who watched. A
young cell with no recent activity falls back to all-time counts. Blocks are
applied per viewer; the lists themselves are cached for a few minutes.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Sum
from django.utils import timezone

from clipdeck.accounts.models import Block, User
from clipdeck.accounts.policies import blocked_either_way
from clipdeck.feed.models import Event, EventKind
from clipdeck.kernel.auth import as_viewer
from clipdeck.kernel.errors import NotFound
from clipdeck.search.documents import PUBLIC_VIDEOS, on_public
from clipdeck.videos.filters import viewer_filters, without_filtered_videos
from clipdeck.videos.models import Hashtag, Like, Sound, Video, VideoStatus

WINDOW = timedelta(days=7)
TOP = 10
CACHE_KEY = "discover:trending:v1"
CACHE_SECONDS = 300
NEW_POST_WEIGHT = 5
LIKE_WEIGHT = 3


def _recent_activity(since) -> Counter:
    """Activity per public video since ``since``: views + 3 × likes + 5 for a new post."""
    public = Video.objects.filter(PUBLIC_VIDEOS)
    activity: Counter = Counter()
    views = Event.objects.filter(kind=EventKind.VIEW, at__gte=since, video__in=public)
    for video_id, n in views.values("video").annotate(n=Count("pk")).values_list("video", "n"):
        activity[video_id] += n
    likes = Like.objects.filter(created_at__gte=since, video__in=public)
    for video_id, n in likes.values("video").annotate(n=Count("pk")).values_list("video", "n"):
        activity[video_id] += LIKE_WEIGHT * n
    for video_id in public.filter(published_at__gte=since).values_list("pk", flat=True):
        activity[video_id] += NEW_POST_WEIGHT
    return activity


def _all_time() -> Counter:
    rows = Video.objects.filter(PUBLIC_VIDEOS).values_list("pk", "view_count", "like_count")
    return Counter({pk: views + LIKE_WEIGHT * likes for pk, views, likes in rows})


def _trending_ids() -> dict[str, list]:
    """Ids of the trending hashtags, sounds and creators, best first."""
    activity = _recent_activity(timezone.now() - WINDOW) or _all_time()
    videos = Video.objects.filter(pk__in=list(activity)).prefetch_related("hashtags")
    tags, sounds, creators = Counter(), Counter(), Counter()
    for video in videos.only("pk", "author_id", "sound_id"):
        score = activity[video.pk]
        creators[video.author_id] += score
        if video.sound_id:
            sounds[video.sound_id] += score
        for tag in video.hashtags.all():
            tags[tag.pk] += score
    return {
        "hashtags": [pk for pk, _ in tags.most_common(TOP)],
        "sounds": [pk for pk, _ in sounds.most_common(TOP)],
        "creators": [pk for pk, _ in creators.most_common(TOP * 2)],
    }


def trending_ids() -> dict[str, list]:
    found = cache.get(CACHE_KEY)
    if found is None:
        found = _trending_ids()
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def _in_order(objects, ids: list) -> list:
    by_id = {obj.pk: obj for obj in objects}
    return [by_id[pk] for pk in ids if pk in by_id]


def discover(viewer: User | None) -> dict:
    """Trending hashtags (with counts), sounds and creators that ``viewer`` may see."""
    viewer = as_viewer(viewer)
    ids = trending_ids()
    tags = Hashtag.objects.filter(pk__in=ids["hashtags"]).annotate(
        videos_count=Count("videos", filter=on_public("videos"), distinct=True),
        views=Sum("videos__view_count", filter=on_public("videos")),
    )
    tags = tags.exclude(name__in=viewer_filters(viewer)["hashtags"])
    sounds = Sound.objects.filter(pk__in=ids["sounds"], removed=False).select_related("created_by")
    if viewer is not None:
        sounds = sounds.exclude(blocked_either_way(viewer, "created_by"))
    creators = User.objects.visible_to(viewer).filter(pk__in=ids["creators"], is_private=False)
    if viewer is not None:
        creators = creators.exclude(pk=viewer.pk).exclude(
            pk__in=Block.objects.filter(blocker=viewer).values("blocked")
        )
    return {
        "hashtags": _in_order(tags, ids["hashtags"]),
        "sounds": _in_order(sounds, ids["sounds"]),
        "creators": _in_order(creators, ids["creators"])[:TOP],
    }


def hashtag_videos(viewer: User | None, name: str):
    """The published videos with hashtag ``name`` that ``viewer`` may see, less those
    their filters hide."""
    tag = hashtag_access(name)
    visible = Video.objects.visible_to(viewer).filter(status=VideoStatus.PUBLISHED, hashtags=tag)
    return without_filtered_videos(visible, viewer)


def hashtag_access(name: str) -> Hashtag:
    tag = Hashtag.objects.filter(name=(name or "").lstrip("#").lower()).first()
    if tag is None:
        raise NotFound("No video has this hashtag yet.")
    return tag


def hashtag_header(viewer: User | None, name: str) -> dict:
    """A hashtag page's header: its name, how many videos the viewer may see, their views."""
    videos = hashtag_videos(viewer, name)
    totals = videos.aggregate(count=Count("pk"), views=Sum("view_count"))
    return {
        "name": hashtag_access(name).name,
        "videos": totals["count"],
        "views": totals["views"] or 0,
    }
