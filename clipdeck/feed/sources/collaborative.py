"""Collaborative embeddings: ALS item factors folded in with the viewer's recent likes.

The viewer's vector is the interest-weighted mean of the factors of the videos
they engaged with (long-term and this session's), so a new like moves it at
once without retraining and no per-user vector is stored.
"""

from __future__ import annotations

import numpy as np

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
    """The videos closest to the viewer's vector."""
    vector = None if artefacts is None else viewer_vector(context, artefacts)
    if vector is None:
        return []
    scores = artefacts.item_factors @ vector
    take = min(limit + len(exclude), len(scores))
    best = np.argpartition(-scores, take - 1)[:take] if take < len(scores) else np.arange(take)
    best = best[np.argsort(-scores[best])]
    found = []
    for row in best:
        video_id = artefacts.item_ids[row]
        if video_id not in exclude:
            found.append(Candidate(video_id, CODE, float(scores[row])))
        if len(found) == limit:
            break
    return found
