"""Scoring candidates with the served ranker (``ranker.HeadsRanker``).

Before any model is trained the ranker's heads fall back to the videos'
smoothed rates, so a fresh install still ranks sensibly.
"""

from __future__ import annotations

import numpy as np

from clipdeck.feed.artefacts import Artefacts
from clipdeck.feed.context import ViewerContext
from clipdeck.feed.features import viewer_interest
from clipdeck.feed.ranker import INTEREST_BOOST, WEIGHTS, HeadsRanker

__all__ = ["WEIGHTS", "page_scores", "score"]
_FALLBACK = HeadsRanker()


def page_scores(
    context: ViewerContext, facts: dict, rows: np.ndarray, artefacts: Artefacts | None
) -> np.ndarray:
    """The served score of each video of ``facts`` (``rows`` are their features, in order).

    The ranker's score, times ``exp(0.6 x`` the viewer's *short-term* interest
    in the video's strongest hashtag``)``: a taste that appeared this hour
    lifts its videos at once. Long-term hashtag interest is only a feature:
    broad hashtags are strong long-term interests of most viewers, and a
    multiplier on them buried what the heads ranked first.
    """
    videos = list(facts.values())
    muted = np.array([video.author in context.muted_creators for video in videos], dtype=bool)
    recent = np.array(
        [viewer_interest(context.recent_hashtags, video.hashtags) for video in videos]
    )
    return score(rows, muted, artefacts) * np.exp(INTEREST_BOOST * recent).reshape(-1)


def score(rows: np.ndarray, muted: np.ndarray, artefacts: Artefacts | None) -> np.ndarray:
    """The final ranking score of each row (higher is better)."""
    ranker = artefacts.ranker if artefacts is not None else _FALLBACK
    return ranker.score(rows, muted)
