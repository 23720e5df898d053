"""The viewer-to-video collaborative features, computed one way for training and serving.

``collaborative_score`` is the dot product of the video's ALS factors with the
viewer's vector (``sources.collaborative.viewer_vector``); ``coengagement_score``
the engagement-weighted sum of the video's similarity to every video the
viewer engaged with; ``ease_score`` the same sum over the EASE weights
(``artefacts.ease_scores``). Both are divided by the viewer's best score, so
they keep their scale as a history grows and across refits (the ranker learns
from histories and models cut at the label cut-off and serves whole ones).
All are computed for every candidate, whichever source proposed it, exactly
as the training examples compute them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from clipdeck.feed.artefacts import Artefacts, ease_scores
from clipdeck.feed.context import ViewerContext
from clipdeck.feed.sources.collaborative import viewer_vector


@dataclass
class Affinity:
    """One viewer's collaborative features against any video."""

    artefacts: Artefacts | None = None
    vector: np.ndarray | None = None
    coengaged: dict[str, float] = field(default_factory=dict)
    eased: dict[str, float] = field(default_factory=dict)

    def scores(self, video_id: str) -> tuple[float, float, float]:
        """``(collaborative_score, coengagement_score, ease_score)`` of ``video_id``."""
        row = self.artefacts.index.get(video_id) if self.artefacts is not None else None
        collaborative = (
            float(self.artefacts.item_factors[row] @ self.vector)
            if self.vector is not None and row is not None
            else 0.0
        )
        return collaborative, self.coengaged.get(video_id, 0.0), self.eased.get(video_id, 0.0)


def affinity(context: ViewerContext, artefacts: Artefacts | None) -> Affinity:
    """The viewer's vector and co-engagement map under ``artefacts`` (empty without them)."""
    if artefacts is None:
        return Affinity()
    coengaged: dict[str, float] = {}
    for seed, weight in context.engaged.items():
        for neighbour, similarity in artefacts.neighbours(seed):
            coengaged[neighbour] = coengaged.get(neighbour, 0.0) + weight * similarity
    best = max(coengaged.values(), default=0.0)
    if best > 0:
        coengaged = {video: score / best for video, score in coengaged.items()}
    eased = ease_scores(artefacts, context.engaged)
    return Affinity(artefacts, viewer_vector(context, artefacts), coengaged, eased)
