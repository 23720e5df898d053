"""EASE: videos that the viewer's engaged videos predict, by a linear item-to-item model.

The weights come from training (``cf.fit_ease``, over the most-engaged videos
of the window); a viewer's score for a video is the engagement-weighted sum of
the weights from every video they engaged with, the same number as the
``ease_score`` feature. No query, so it runs in the request on the interests as
of now.
"""

from __future__ import annotations

from clipdeck.feed.artefacts import Artefacts, ease_scores
from clipdeck.feed.context import ViewerContext
from clipdeck.feed.sources import Candidate, ranked

CODE = "ease"


def candidates(
    context: ViewerContext, artefacts: Artefacts | None, *, limit: int, exclude: set[str]
) -> list[Candidate]:
    """The ``limit`` videos with the highest positive EASE score, engaged ones left out."""
    if artefacts is None:
        return []
    scores = {
        video_id: score
        for video_id, score in ease_scores(artefacts, context.engaged).items()
        if score > 0 and video_id not in exclude and video_id not in context.engaged
    }
    return [Candidate(video_id, CODE, score) for video_id, score in ranked(scores, limit)]
