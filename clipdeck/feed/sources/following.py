"""Followed creators: their newest videos the viewer has not seen."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from clipdeck.feed.context import ViewerContext
from clipdeck.feed.sources import Candidate
from clipdeck.videos.models import Video, VideoStatus

CODE = "following"
DAYS = 30


def candidates(context: ViewerContext, *, limit: int, exclude: set[str]) -> list[Candidate]:
    """Newest published videos of followed accounts, newest scoring highest."""
    if not context.following:
        return []
    since = timezone.now() - timedelta(days=DAYS)
    rows = (
        Video.objects.visible_to(context.viewer)
        .filter(author__in=context.following, status=VideoStatus.PUBLISHED, published_at__gte=since)
        .order_by("-published_at")
        .values_list("pk", "author__handle")[: limit + len(exclude)]
    )
    found = [(str(pk), handle) for pk, handle in rows if str(pk) not in exclude][:limit]
    return [
        Candidate(pk, CODE, 1.0 / (1 + rank), f"@{handle}")
        for rank, (pk, handle) in enumerate(found)
    ]
