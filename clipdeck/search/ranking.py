"""Ranking of search results: text relevance blended with engagement and freshness."""

from __future__ import annotations

import math
import time

from clipdeck.search.index import Hit

# Relevance dominates; engagement and freshness reorder results of similar relevance.
RELEVANCE_WEIGHT = 1.0
ENGAGEMENT_WEIGHT = 0.25
FRESHNESS_WEIGHT = 0.2
FRESHNESS_HALF_LIFE_DAYS = 14.0
ENGAGEMENT_SCALE = math.log1p(10_000)


def score(hit: Hit, *, now: float | None = None) -> float:
    """A hit's final score: relevance in 0..1, log engagement in 0..1, freshness decaying."""
    now = time.time() if now is None else now
    engaged = min(math.log1p(max(hit.engagement, 0.0)) / ENGAGEMENT_SCALE, 1.0)
    fresh = 0.0
    if hit.published:
        age_days = max(now - hit.published, 0.0) / 86_400
        fresh = 0.5 ** (age_days / FRESHNESS_HALF_LIFE_DAYS)
    return RELEVANCE_WEIGHT * hit.relevance + ENGAGEMENT_WEIGHT * engaged + FRESHNESS_WEIGHT * fresh


def ranked(hits: list[Hit]) -> list[Hit]:
    """``hits`` best first; ties keep the index's order."""
    now = time.time()
    return sorted(hits, key=lambda hit: -score(hit, now=now))
