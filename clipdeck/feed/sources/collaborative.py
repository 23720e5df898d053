"""Collaborative embeddings: ALS item factors folded in with the viewer's recent likes.

The viewer's vector is the interest-weighted mean of the factors of the videos
they engaged with (long-term and this session's), so a new like moves it at
once without retraining and no per-user vector is stored.
"""

from __future__ import annotations

import numpy as np

from clipdeck.feed import ann
from clipdeck.feed.artefacts import Artefacts
from clipdeck.feed.context import ViewerContext
from clipdeck.feed.sources import Candidate

CODE = "collaborative"


def viewer_vector(context: ViewerContext, artefacts: Artefacts) -> np.ndarray | None:
    """The viewer's position in the item-factor space, or None without known videos."""
    rows, weights = [], []
    for video_id, amount in context.engaged.items():
        row = artefacts.index.get(video_id)
        if row is not None and amount > 0:
            rows.append(row)
            weights.append(amount)
    if not rows:
        return None
    vector = np.average(artefacts.item_factors[rows], axis=0, weights=weights)
    return vector.astype(artefacts.item_factors.dtype)  # float64 would upcast every factor


def candidates(
    context: ViewerContext, artefacts: Artefacts | None, *, limit: int, exclude: set[str]
) -> list[Candidate]:
    """The videos closest to the viewer's vector (the HNSW graph when trained with one)."""
    vector = None if artefacts is None else viewer_vector(context, artefacts)
    if vector is None:
        return []
    take = limit + len(exclude)
    rows = ann.top_rows(artefacts.item_factors, vector, take, artefacts.graph)
    scores = artefacts.item_factors[rows] @ vector
    found = []
    for row, score in zip(rows, scores, strict=True):
        video_id = artefacts.item_ids[row]
        if video_id not in exclude:
            found.append(Candidate(video_id, CODE, float(score)))
        if len(found) == limit:
            break
    return found
