"""Reads of analytics: a creator's or one video's report from the daily rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import QuerySet, Sum
from django.utils import timezone

from clipdeck.accounts.models import User
from clipdeck.analytics.models import CreatorDay, VideoDay
from clipdeck.feed.models import TrafficSource
from clipdeck.kernel.errors import InvalidInput
from clipdeck.videos.models import Video

PERIODS = (7, 28, 60)
SOURCES = [source.label for source in TrafficSource if source]
METRICS = ("views", "watch_time_ms", "likes", "comments", "shares")
TOP = 5


@dataclass
class Report:
    days: int
    totals: dict
    daily: list[dict]
    traffic_sources: dict
    top_videos: list[dict] = field(default_factory=list)
    retention: list[dict] = field(default_factory=list)


def check_period(days: int) -> int:
    if days not in PERIODS:
        raise InvalidInput("days must be 7, 28 or 60.", code="bad_period", field="days")
    return days


def _window(days: int) -> list[date]:
    today = timezone.localdate()
    return [today - timedelta(days=back) for back in range(days - 1, -1, -1)]


def _daily(rows: QuerySet[VideoDay], followers: dict, window: list[date]) -> list[dict]:
    sums = {
        row["day"]: row
        for row in rows.values("day").annotate(
            **{name: Sum(name) for name in METRICS}, completion=Sum("completion_sum_pm")
        )
    }
    daily = []
    for day in window:
        row = sums.get(day, {})
        views = row.get("views") or 0
        daily.append(
            {
                "day": day,
                **{name: row.get(name) or 0 for name in METRICS},
                "avg_completion": round((row.get("completion") or 0) / views / 1000, 4)
                if views
                else 0.0,
                "new_followers": followers.get(day, 0),
            }
        )
    return daily


def _totals(daily: list[dict]) -> dict:
    totals = {name: sum(day[name] for day in daily) for name in (*METRICS, "new_followers")}
    weighted = sum(day["avg_completion"] * day["views"] for day in daily)
    totals["avg_completion"] = round(weighted / totals["views"], 4) if totals["views"] else 0.0
    return totals


def _sources(rows: QuerySet[VideoDay]) -> dict:
    counts: Counter = Counter()
    for sources in rows.values_list("sources", flat=True):
        counts.update(sources)
    return {name: counts.get(name, 0) for name in SOURCES}


def creator_report(creator: User, days: int) -> Report:
    """The creator's totals, days, traffic sources and top videos over the last ``days``."""
    window = _window(check_period(days))
    rows = VideoDay.objects.filter(video__author=creator, day__gte=window[0])
    followers = dict(
        CreatorDay.objects.filter(creator=creator, day__gte=window[0]).values_list(
            "day", "new_followers"
        )
    )
    daily = _daily(rows, followers, window)
    return Report(
        days=days,
        totals=_totals(daily),
        daily=daily,
        traffic_sources=_sources(rows),
        top_videos=_top_videos(rows),
    )


def _top_videos(rows: QuerySet[VideoDay]) -> list[dict]:
    best = (
        rows.values("video")
        .annotate(
            views=Sum("views"), watch=Sum("watch_time_ms"), completion=Sum("completion_sum_pm")
        )
        .order_by("-views", "-watch")[:TOP]
    )
    best = list(best)
    videos = Video.objects.in_bulk([row["video"] for row in best])
    return [
        {
            "video": videos[row["video"]],
            "views": row["views"],
            "watch_time_ms": row["watch"],
            "avg_completion": round(row["completion"] / row["views"] / 1000, 4)
            if row["views"]
            else 0.0,
        }
        for row in best
        if row["video"] in videos
    ]


def video_report(video: Video, days: int) -> Report:
    """One video's report, with its retention curve over the period."""
    window = _window(check_period(days))
    rows = VideoDay.objects.filter(video=video, day__gte=window[0])
    daily = _daily(rows, {}, window)
    return Report(
        days=days,
        totals=_totals(daily),
        daily=daily,
        traffic_sources=_sources(rows),
        retention=_retention(rows),
    )


def _retention(rows: QuerySet[VideoDay]) -> list[dict]:
    """Share of viewers still watching at each second, over the period."""
    curve: list[int] = []
    for day_curve in rows.values_list("retention", flat=True):
        for second, count in enumerate(day_curve):
            if second == len(curve):
                curve.append(0)
            curve[second] += count
    start = curve[0] if curve else 0
    return [
        {"second": second, "share": round(count / start, 4) if start else 0.0}
        for second, count in enumerate(curve)
    ]
