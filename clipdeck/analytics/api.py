"""Creator analytics API: your totals per day, traffic sources, top videos; one video's report."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Query, Router

from clipdeck.analytics import selectors
from clipdeck.analytics.csv_export import report_csv
from clipdeck.analytics.schemas import AnalyticsOut, VideoAnalyticsOut
from clipdeck.kernel.auth import user_auth
from clipdeck.videos.visibility import video_access

router = Router(tags=["analytics"])
DAYS = Query(28, description="7, 28 or 60")


@router.get(
    "/me/analytics",
    response=AnalyticsOut,
    auth=user_auth,
    operation_id="my_analytics",
    summary="Your videos' views, watch time, engagement, followers and traffic sources per day",
)
def my_analytics(request, days: int = DAYS):
    return selectors.creator_report(request.auth, days)


@router.get(
    "/me/analytics.csv",
    auth=user_auth,
    operation_id="my_analytics_csv",
    summary="The same, one CSV row per day",
)
def my_analytics_csv(request, days: int = DAYS):
    return _csv(report_csv(selectors.creator_report(request.auth, days)), f"analytics-{days}d")


@router.get(
    "/videos/{video_id}/analytics",
    response=VideoAnalyticsOut,
    auth=user_auth,
    operation_id="video_analytics",
    summary="One of your videos: the same per day, with its retention curve",
)
def video_analytics(request, video_id: str, days: int = DAYS):
    video = video_access(request.auth, video_id, require_owner=True)
    return selectors.video_report(video, days)


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
