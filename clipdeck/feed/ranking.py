"""Scoring candidates with the served ranker (``ranker.HeadsRanker``).

Before any model is trained the ranker's heads fall back to the videos'
smoothed rates, so a fresh install still ranks sensibly.
"""

from __future__ import annotations

import numpy as np

from clipdeck.feed.artefacts import Artefacts
from clipdeck.feed.ranker import WEIGHTS, HeadsRanker

__all__ = ["WEIGHTS", "score"]
_FALLBACK = HeadsRanker()


def score(rows: np.ndarray, muted: np.ndarray, artefacts: Artefacts | None) -> np.ndarray:
    """The final ranking score of each row (higher is better)."""
    ranker = artefacts.ranker if artefacts is not None else _FALLBACK
    return ranker.score(rows, muted)
