"""The Analytics pages: a creator's report and one video's, charts drawn on the server."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clipdeck.analytics import charts, selectors
from clipdeck.kernel.errors import InvalidInput
from clipdeck.videos.media import media_urls
from clipdeck.videos.visibility import video_access

SOURCE_LABELS = {
    "for_you": "For You",
    "following": "Following",
    "profile": "Profile",
    "search": "Search",
    "hashtag": "Hashtag",
    "sound": "Sound",
    "share_link": "Share link",
}


def _days(request: HttpRequest) -> int:
    try:
        return selectors.check_period(int(request.GET.get("days", 28)))
    except (InvalidInput, ValueError):
        return 28


def _per_day(report, key: str, scale: float = 1.0) -> list[tuple[str, str, float]]:
    return [
        (day["day"].strftime("%d %b"), day["day"].strftime("%a %d %b %Y"), day[key] * scale)
        for day in report.daily
    ]


def _percent(value: float) -> str:
    return f"{value:.0f}%"


def _watch_time(report) -> tuple[float, str]:
    """Seconds while the busiest day is under two minutes, else minutes."""
    busiest = max((day["watch_time_ms"] for day in report.daily), default=0)
    return (1 / 1000, "seconds") if busiest < 120_000 else (1 / 60_000, "minutes")


def _charts(report) -> dict:
    scale, unit = _watch_time(report)
    engagement = [
        (label, full, value + report.daily[i]["comments"] + report.daily[i]["shares"])
        for i, (label, full, value) in enumerate(_per_day(report, "likes"))
    ]
    return {
        "views": charts.both(
            charts.bar_chart,
            _per_day(report, "views"),
            chart_id="views",
            title="Views per day",
            unit="views",
        ),
        "watch": charts.both(
            charts.bar_chart,
            _per_day(report, "watch_time_ms", scale),
            chart_id="watch",
            title=f"Watch time per day ({unit})",
            unit=unit,
        ),
        "completion": charts.both(
            charts.line_chart,
            _per_day(report, "avg_completion", 100),
            chart_id="completion",
            title="Average completion per day (%)",
            unit="watched on average",
            fmt=_percent,
            top=100,
        ),
        "engagement": charts.both(
            charts.bar_chart,
            engagement,
            chart_id="engagement",
            title="Likes, comments and shares per day",
            unit="interactions",
        ),
        "followers": charts.both(
            charts.bar_chart,
            _per_day(report, "new_followers"),
            chart_id="followers",
            title="New followers per day",
            unit="new followers",
        ),
        "sources": charts.both(
            charts.share_bars,
            [(SOURCE_LABELS[k], v) for k, v in report.traffic_sources.items()],
            chart_id="sources",
            title="Traffic sources",
        ),
    }


@login_required(login_url="/login")
def analytics_page(request: HttpRequest) -> HttpResponse:
    days = _days(request)
    report = selectors.creator_report(request.user, days)
    top = [
        {**row, "poster": media_urls(row["video"], request.user.pk)["poster"]}
        for row in report.top_videos
    ]
    return render(
        request,
        "web/analytics.html",
        {
            "report": report,
            "days": days,
            "periods": selectors.PERIODS,
            "charts": _charts(report),
            "top": top,
            "nav": "profile",
        },
    )


@login_required(login_url="/login")
def video_analytics_page(request: HttpRequest, video_id) -> HttpResponse:
    days = _days(request)
    video = video_access(request.user, video_id, require_owner=True)
    report = selectors.video_report(video, days)
    retention = [
        (f"{p['second']}s", f"At {p['second']} s", p["share"] * 100) for p in report.retention
    ]
    page_charts = _charts(report)
    page_charts["retention"] = charts.both(
        charts.line_chart,
        retention,
        chart_id="retention",
        title="Viewers still watching (%)",
        unit="of viewers still watching",
        fmt=_percent,
        top=100,
    )
    return render(
        request,
        "web/video_analytics.html",
        {
            "report": report,
            "video": video,
            "poster": media_urls(video, request.user.pk)["poster"],
            "days": days,
            "periods": selectors.PERIODS,
            "charts": page_charts,
            "nav": "profile",
        },
    )
