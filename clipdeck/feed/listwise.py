"""The list-wise head's lessons: each viewer's candidates, labelled by what they did next.

A page is an order over the candidates the sources propose, so the ranker's
list-wise head learns exactly that task. At training the models fitted before
the label cut-off propose each viewer's candidates through the sources that
need no database (``candidates``: collaborative, EASE, co-engagement and
trending, 50 each as on a page), with the viewer's interests as of the
cut-off; every candidate gets the page's features (``features.feature_row``)
and a relevance from the viewer's events after the cut-off: 3 shared, 2
liked, 1 watched to the end, 0 otherwise (shown and skipped, or never shown).
Lists without a relevant video teach nothing and are left out.

``clipdeck recsys evaluate`` ranks its test users' candidates with the same
``candidates``, so the head is evaluated on the lists it learned from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from clipdeck.feed.affinity import affinity
from clipdeck.feed.artefacts import Artefacts
from clipdeck.feed.context import ViewerContext
from clipdeck.feed.features import FEATURES, VideoFacts, feature_row
from clipdeck.feed.sources import Candidate, coengagement, collaborative, ease
from clipdeck.feed.sources.trending import hot_score

PER_SOURCE = 50  # as ``pipeline.PER_SOURCE``: the page's sources propose 50 each
MAX_LISTS = 4000  # viewers a training takes lists from (chosen by a hash of their id)
SOURCES = ("collaborative", "ease", "coengagement", "trending")


@dataclass
class Lists:
    """Feature rows of every list's candidates, their relevance and each list's length."""

    x: np.ndarray
    relevance: np.ndarray
    sizes: np.ndarray
    users: np.ndarray  # one per list
    videos: list[str]  # one per row

    @property
    def count(self) -> int:
        return len(self.sizes)


def trending_order(facts: dict[str, VideoFacts]) -> list[str]:
    """Video ids by ``trending.hot_score`` over the counters of ``facts``, hottest first."""
    heat = {
        pk: hot_score(
            exposures=f.exposures,
            completions=f.completions,
            likes=f.likes,
            shares=f.shares,
            age_hours=f.age_hours,
        )
        for pk, f in facts.items()
    }
    return sorted(heat, key=lambda pk: (-heat[pk], pk))


def candidates(
    context: ViewerContext,
    artefacts: Artefacts,
    hottest: list[str],
    exclude: set[str],
    *,
    per_source: int = PER_SOURCE,
) -> list[Candidate]:
    """The viewer's candidates from the sources that need no database, best first per source."""
    found = [
        *collaborative.candidates(context, artefacts, limit=per_source, exclude=exclude),
        *ease.candidates(context, artefacts, limit=per_source, exclude=exclude),
        *coengagement.known_candidates(context, artefacts, limit=per_source, exclude=exclude),
    ]
    taken = 0
    for rank, video_id in enumerate(hottest):
        if taken == per_source:
            break
        if video_id not in exclude:
            found.append(Candidate(video_id, "trending", 1.0 / (1 + rank)))
            taken += 1
    return found


def relevance(labels: dict[str, int]) -> int:
    """3 shared, 2 liked, 1 watched to the end, else 0."""
    if labels.get("share"):
        return 3
    if labels.get("like"):
        return 2
    return int(bool(labels.get("complete")))


def build(
    contexts: dict[int, ViewerContext],
    seen: dict[int, set[str]],
    labelled: list[tuple[int, str, dict[str, int]]],
    artefacts: Artefacts,
    facts: dict[str, VideoFacts],
    *,
    max_lists: int = MAX_LISTS,
) -> Lists:
    """The training lists of the viewers with a relevant video after the cut-off.

    ``contexts`` and ``seen`` are each viewer's interests and shown videos
    before the cut-off (what the candidates leave out), ``labelled`` the
    pairs after it (``training_data.labelled_pairs``), ``artefacts`` and
    ``facts`` the models and counters as of the cut-off.
    """
    gains: dict[int, dict[str, int]] = {}
    for user, video, labels in labelled:
        gain = relevance(labels)
        if gain and user in contexts:
            gains.setdefault(user, {})[video] = max(gain, gains.get(user, {}).get(video, 0))
    chosen = sorted(gains, key=_hash)[:max_lists]
    hottest = trending_order(facts)
    rows: list[list[float]] = []
    labels_out: list[int] = []
    sizes: list[int] = []
    users: list[int] = []
    videos: list[str] = []
    for user in sorted(chosen):
        context = contexts[user]
        proposed = candidates(context, artefacts, hottest, seen.get(user, set()))
        ids = [pk for pk in dict.fromkeys(c.video_id for c in proposed) if pk in facts]
        wanted = gains[user]
        if not any(pk in wanted for pk in ids):
            continue  # the sources missed every relevant video: nothing to order
        scores = affinity(context, artefacts)
        rows.extend(feature_row(context, facts[pk], *scores.scores(pk)) for pk in ids)
        labels_out.extend(wanted.get(pk, 0) for pk in ids)
        sizes.append(len(ids))
        users.append(user)
        videos.extend(ids)
    return Lists(
        x=np.array(rows, dtype=np.float64).reshape(-1, len(FEATURES)),
        relevance=np.array(labels_out, dtype=np.int32),
        sizes=np.array(sizes, dtype=np.int32),
        users=np.array(users),
        videos=videos,
    )


def _hash(user: int) -> int:
    return int(hashlib.sha256(f"lists:{user}".encode()).hexdigest()[:12], 16)
