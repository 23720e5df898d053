"""Hashtags the viewer engages with: the newest videos carrying them.

The pipeline filters these, like every candidate, through the visibility policy.
"""

from __future__ import annotations

from clipdeck.feed.context import ViewerContext, interest_totals
from clipdeck.feed.sources import Candidate, ranked
from clipdeck.videos.models import Video

CODE = "hashtags"
TOP = 5


def candidates(context: ViewerContext, *, limit: int, exclude: set[str]) -> list[Candidate]:
    """Newest videos tagged with the viewer's strongest hashtags, weighted by that interest."""
    tags = list(interest_totals(context)["hashtags"].items())[:TOP]
    if not tags:
        return []
    weight = dict(tags)
    rows = (
        Video.hashtags.through.objects.filter(hashtag__name__in=weight)
        .order_by("-pk")  # the newest taggings first
        .values_list("video_id", "hashtag__name")[: 4 * limit + len(exclude)]
    )
    scores: dict[str, float] = {}
    evidence: dict[str, str] = {}
    for rank, (pk, tag) in enumerate(rows):
        if str(pk) in exclude:
            continue
        scores[str(pk)] = scores.get(str(pk), 0.0) + weight[tag] / (1 + rank / limit)
        evidence.setdefault(str(pk), f"#{tag}")
    return [Candidate(v, CODE, s, evidence[v]) for v, s in ranked(scores, limit)]
