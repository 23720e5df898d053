"""Scoring candidates: predicted completion, like and share, combined with fixed weights.

``score = 1.0 x P(complete) + 4.0 x P(like) + 8.0 x P(share)``, then multiplied
by the viewer's real-time interest in the creator, sound and hashtags
(``exp(0.6 x interest)``, interest in -3..3) and by 0.1 for a creator the viewer
marked "not interested". Before any model is trained, the three probabilities
are the video's smoothed rates (the fallback), so a fresh install still ranks
sensibly.
"""

from __future__ import annotations

import numpy as np

from clipdeck.feed.artefacts import HEADS, Artefacts
from clipdeck.feed.features import FEATURES

WEIGHTS = {"complete": 1.0, "like": 4.0, "share": 8.0}
INTEREST_BOOST = 0.6
MUTED_FACTOR = 0.1
PREDICT_THREADS = 1
FALLBACK_COLUMNS = {
    "complete": FEATURES.index("video_completion_rate"),
    "like": FEATURES.index("video_like_rate"),
    "share": FEATURES.index("video_share_rate"),
}
INTEREST_COLUMNS = [
    FEATURES.index(name)
    for name in ("viewer_creator_interest", "viewer_sound_interest", "viewer_hashtag_interest")
]


def predict(rows: np.ndarray, artefacts: Artefacts | None) -> dict[str, np.ndarray]:
    """P(complete), P(like), P(share) for each row: the trained head, else its fallback.

    Each head predicts the whole page's candidates in one call on one thread: a
    few hundred rows take well under a millisecond, while waking an OpenMP
    team on a busy machine can take several.
    """
    rankers = artefacts.rankers if artefacts else {}
    return {
        head: rankers[head].predict(rows, num_threads=PREDICT_THREADS)
        if head in rankers
        else rows[:, FALLBACK_COLUMNS[head]]
        for head in HEADS
    }


def combine(predictions: dict[str, np.ndarray]) -> np.ndarray:
    """The weighted sum of the three predictions."""
    return sum(WEIGHTS[head] * predictions[head] for head in HEADS)


def score(rows: np.ndarray, muted: np.ndarray, artefacts: Artefacts | None) -> np.ndarray:
    """The final ranking score of each row (higher is better)."""
    if rows.shape[0] == 0:
        return np.zeros(0)
    base = combine(predict(rows, artefacts))
    interest = rows[:, INTEREST_COLUMNS].sum(axis=1)
    return base * np.exp(INTEREST_BOOST * interest) * np.where(muted, MUTED_FACTOR, 1.0)
