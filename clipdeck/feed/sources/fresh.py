"""Fresh: the newest public videos, the same for everyone.

The list is computed for everyone at once and refreshed every 30 s
(``shared``); like every candidate, it is filtered per viewer by the
visibility policy in the pipeline.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from clipdeck.feed.context import ViewerContext
from clipdeck.feed.features import warm
from clipdeck.feed.shared import shared_list
from clipdeck.feed.sources import Candidate
from clipdeck.videos.models import Video, VideoStatus, Visibility

CODE = "fresh"
DAYS = 7
KEEP = 1000
CACHE_S = 30


def fresh_ids() -> list[str]:
    """The newest public videos of the last week, newest first (refreshed every 30 s)."""
    return shared_list("feed:fresh", _compute, fresh_s=CACHE_S)


def _compute() -> list[str]:
    since = timezone.now() - timedelta(days=DAYS)
    rows = (
        Video.objects.filter(
            status=VideoStatus.PUBLISHED,
            visibility=Visibility.PUBLIC,
            author__is_private=False,
            published_at__gte=since,
        )
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)[:KEEP]
    )
    newest = [str(pk) for pk in rows]
    warm(newest)  # the shortlist reads their hashtags from the memo
    return newest


def candidates(context: ViewerContext, *, limit: int, exclude: set[str]) -> list[Candidate]:
    """Newest public videos not yet seen, newest scoring highest."""
    found = [pk for pk in fresh_ids() if pk not in exclude][:limit]
    return [Candidate(pk, CODE, 1.0 / (1 + rank)) for rank, pk in enumerate(found)]
