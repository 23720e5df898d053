"""Candidate sources: each proposes videos for a viewer and says why, in a short label.

Every source returns :class:`Candidate` rows; the pipeline merges them and
filters every one through the visibility policy before ranking.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Candidate:
    """A video proposed by a source, with the source's own score and its evidence."""

    video_id: str
    source: str
    score: float
    because: str = ""  # a word or two of evidence: "#cats", "@alice", a sound title


LABELS = {
    "collaborative": "Viewers with tastes like yours enjoyed this",
    "coengagement": "Often watched together with videos you enjoyed",
    "ease": "Enjoyed by viewers who enjoyed the videos you enjoyed",
    "following": "From an account you follow",
    "hashtags": "Matches hashtags you engage with",
    "sounds": "Uses a sound you engage with",
    "trending": "Trending in your region",
    "exploration": "A new video we are showing to a small audience",
    "fresh": "New on Clipdeck",
}


def ranked(scores: dict[str, float], limit: int) -> list[tuple[str, float]]:
    """The ``limit`` best ``(id, score)`` pairs, best first, ties by id for stability."""
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
