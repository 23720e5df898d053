"""Fold the day's events into daily rows: idempotent, so running it twice changes nothing.

Each run recomputes whole days from the source tables (view events, likes,
comments, shares, follows) and replaces those days' rows. The job
(``jobs.py``) redoes today and yesterday every few minutes; a longer backfill
is ``clipdeck manage analytics aggregate --days 60`` (events are kept 90 days).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from clipdeck.accounts.models import Follow, FollowState
from clipdeck.analytics.models import CreatorDay, VideoDay
from clipdeck.feed.models import Event, EventKind, TrafficSource
from clipdeck.videos.models import Comment, Like, Share, Video

MAX_RETENTION_SECONDS = 600


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def _per_video(queryset, field: str = "video") -> Counter:
    rows = queryset.values(field).annotate(n=Count("pk")).values_list(field, "n")
    return Counter(dict(rows))


def _views(start: datetime, end: datetime) -> dict:
    """Per video: views, watch time, completion, sources and the seconds each view reached."""
    durations: dict = {}
    found: dict = defaultdict(
        lambda: {"views": 0, "watch": 0, "completion": 0, "sources": Counter(), "reached": []}
    )
    # A creator watching their own video is not an audience.
    views = Event.objects.filter(kind=EventKind.VIEW, at__gte=start, at__lt=end).exclude(
        user=F("video__author")
    )
    rows = views.values_list("video_id", "watched_ms", "completion_pm", "source")
    for video_id, watched, completion, source in rows.iterator():
        entry = found[video_id]
        entry["views"] += 1
        entry["watch"] += watched
        entry["completion"] += min(completion, 1000)
        entry["sources"][TrafficSource(source).label] += 1
        entry["reached"].append(watched // 1000)
    for pk, duration in Video.objects.filter(pk__in=list(found)).values_list("pk", "duration_ms"):
        durations[pk] = duration
    for video_id, entry in found.items():
        entry["retention"] = _retention(entry.pop("reached"), durations.get(video_id, 0))
    return found


def _retention(reached: list[int], duration_ms: int) -> list[int]:
    """How many views were still watching at each second (loops count once)."""
    length = min(max(duration_ms // 1000, 1), MAX_RETENTION_SECONDS)
    curve = [0] * (length + 1)
    for seconds in reached:
        for second in range(min(seconds, length) + 1):
            curve[second] += 1
    return curve


@transaction.atomic
def aggregate_day(day: date) -> int:
    """Replace ``day``'s rows with fresh counts; how many video rows were written."""
    start, end = _bounds(day)
    views = _views(start, end)
    likes = _per_video(Like.objects.filter(created_at__gte=start, created_at__lt=end))
    comments = _per_video(Comment.objects.filter(created_at__gte=start, created_at__lt=end))
    shares = _per_video(Share.objects.filter(created_at__gte=start, created_at__lt=end))
    ids = set(views) | set(likes) | set(comments) | set(shares)
    VideoDay.objects.filter(day=day).delete()
    VideoDay.objects.bulk_create(
        [
            VideoDay(
                video_id=video_id,
                day=day,
                views=views.get(video_id, {}).get("views", 0),
                watch_time_ms=views.get(video_id, {}).get("watch", 0),
                completion_sum_pm=views.get(video_id, {}).get("completion", 0),
                likes=likes[video_id],
                comments=comments[video_id],
                shares=shares[video_id],
                sources=dict(views.get(video_id, {}).get("sources", {})),
                retention=views.get(video_id, {}).get("retention", []),
            )
            for video_id in ids
        ]
    )
    _aggregate_followers(day, start, end)
    return len(ids)


def _aggregate_followers(day: date, start: datetime, end: datetime) -> None:
    follows = Follow.objects.filter(
        state=FollowState.FOLLOWING, created_at__gte=start, created_at__lt=end
    )
    counts = _per_video(follows, field="followee")
    CreatorDay.objects.filter(day=day).delete()
    CreatorDay.objects.bulk_create(
        [CreatorDay(creator_id=pk, day=day, new_followers=n) for pk, n in counts.items()]
    )


def aggregate_recent(days: int = 2, *, today: date | None = None) -> int:
    """Redo the last ``days`` days (today included); video rows written."""
    today = today or timezone.localdate()
    return sum(aggregate_day(today - timedelta(days=back)) for back in range(days))
