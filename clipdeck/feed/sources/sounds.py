"""Sounds the viewer engages with: other videos using them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from clipdeck.feed.context import ViewerContext, interest_totals
from clipdeck.feed.sources import Candidate, ranked
from clipdeck.videos.models import Video, VideoStatus

CODE = "sounds"
TOP = 3
DAYS = 30


def candidates(context: ViewerContext, *, limit: int, exclude: set[str]) -> list[Candidate]:
    """Videos using the viewer's strongest sounds, weighted by that interest."""
    sounds = dict(list(interest_totals(context)["sounds"].items())[:TOP])
    if not sounds:
        return []
    since = timezone.now() - timedelta(days=DAYS)
    rows = (
        Video.objects.visible_to(context.viewer)
        .filter(sound_id__in=sounds, status=VideoStatus.PUBLISHED, published_at__gte=since)
        .order_by("-like_count", "-published_at")
        .values_list("pk", "sound_id", "sound__title", "like_count")[: 2 * limit + len(exclude)]
    )
    scores: dict[str, float] = {}
    evidence: dict[str, str] = {}
    for pk, sound_id, title, likes in rows:
        if str(pk) not in exclude:
            scores[str(pk)] = sounds[str(sound_id)] * (1 + likes) ** 0.25
            evidence[str(pk)] = f"“{title}”"
    return [Candidate(v, CODE, s, evidence[v]) for v, s in ranked(scores, limit)]
