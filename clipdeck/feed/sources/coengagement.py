"""Item-to-item co-engagement: videos enjoyed by the people who enjoyed yours.

Neighbours come from the trained artefacts; a seed video newer than the last
training is looked up live in the event log instead.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from clipdeck.feed.artefacts import Artefacts
from clipdeck.feed.context import ViewerContext
from clipdeck.feed.models import Event, EventKind
from clipdeck.feed.sources import Candidate, ranked

CODE = "coengagement"
SEEDS = 8
POSITIVE = (EventKind.LIKE, EventKind.SHARE, EventKind.REPLAY, EventKind.COMMENT)


def _live_neighbours(video_id: str, limit: int) -> list[tuple[str, float]]:
    since = timezone.now() - timedelta(days=30)
    fans = Event.objects.filter(video_id=video_id, kind__in=POSITIVE, at__gte=since).values(
        "user_id"
    )[:200]
    together = (
        Event.objects.filter(user_id__in=fans, kind__in=POSITIVE, at__gte=since)
        .exclude(video_id=video_id)
        .values("video_id")
        .annotate(n=Count("user_id", distinct=True))
        .order_by("-n")[:limit]
    )
    return [(str(row["video_id"]), float(row["n"])) for row in together]


def candidates(
    context: ViewerContext, artefacts: Artefacts | None, *, limit: int, exclude: set[str]
) -> list[Candidate]:
    """Neighbours of the viewer's most recent engaged videos, weighted by that engagement."""

    def neighbours(seed: str) -> list[tuple[str, float]]:
        known = artefacts.neighbours(seed) if artefacts else []
        return known or _live_neighbours(seed, 30)

    return _ranked_neighbours(context, neighbours, limit=limit, exclude=exclude)


def known_candidates(
    context: ViewerContext, artefacts: Artefacts, *, limit: int, exclude: set[str]
) -> list[Candidate]:
    """Like ``candidates``, from the trained neighbours only: no query, so fit for any request."""
    return _ranked_neighbours(context, artefacts.neighbours, limit=limit, exclude=exclude)


def _ranked_neighbours(context, neighbours, *, limit: int, exclude: set[str]) -> list[Candidate]:
    seeds = sorted(context.engaged.items(), key=lambda kv: -kv[1])[:SEEDS]
    scores: dict[str, float] = {}
    evidence: dict[str, str] = {}
    for seed, weight in seeds:
        for video_id, similarity in neighbours(seed):
            if video_id in exclude or video_id in context.engaged:
                continue
            scores[video_id] = scores.get(video_id, 0.0) + weight * similarity
            evidence.setdefault(video_id, seed)
    return [Candidate(v, CODE, s, evidence[v]) for v, s in ranked(scores, limit)]
