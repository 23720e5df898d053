"""Re-ranking a scored list into a page.

Rules, applied greedily from the best score down:

1. never two videos in a row from the same creator, or with the same sound
   (the rule carries across pages) — unless no other candidate is left, since
   an empty feed serves nobody (a small deployment may have one creator);
2. hashtag diversity: each hashtag shared with the last five picks multiplies
   the score by 0.7, and at most two videos per creator on a page
   (relaxed only when nothing else may come next);
3. every fifth slot goes to an exploration candidate when there is one and no
   exploration video was picked in the four before it;
4. nothing the viewer saw recently, marked "not interested", or authored is
   a candidate at all (filtered before ranking), and the visibility policy has
   already removed everything the viewer may not see.

Each pick is a handful of array operations over every candidate (creators,
sounds and hashtags coded as integers once per page), so a page costs the
same few hundred microseconds whether 60 or 300 candidates reach it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from clipdeck.feed.features import VideoFacts

HASHTAG_PENALTY = 0.7
WINDOW = 5
PER_CREATOR = 2
EXPLORE_EVERY = 5
_NOBODY = -2  # the code of a creator or sound no candidate has


@dataclass
class Scored:
    facts: VideoFacts
    score: float
    source: str
    reason: dict = field(default_factory=dict)


@dataclass
class Previous:
    """What was shown last, so the rules hold across pages."""

    creator: str | None = None
    sound: str | None = None
    recent_tags: list[list[str]] = field(default_factory=list)


class _Coded:
    """The candidates as arrays: scores, creator and sound codes, a video × hashtag matrix."""

    def __init__(self, items: list[Scored], previous: Previous) -> None:
        self.items = items
        self.creators: dict[str, int] = {}
        self.sounds: dict[str, int] = {}
        self.tags: dict[str, int] = {}
        for tags in previous.recent_tags:
            for tag in tags:
                self.tags.setdefault(tag, len(self.tags))
        cells = []
        for row, item in enumerate(items):
            for tag in item.facts.hashtags:
                cells.append((row, self.tags.setdefault(tag, len(self.tags))))
        self.score = np.array([item.score for item in items], dtype=np.float64)
        self.creator = np.array(
            [self.creators.setdefault(i.facts.author, len(self.creators)) for i in items],
            dtype=np.int64,
        )
        self.sound = np.array(
            [
                -1
                if i.facts.sound is None
                else self.sounds.setdefault(i.facts.sound, len(self.sounds))
                for i in items
            ],
            dtype=np.int64,
        )
        self.exploring = np.array([item.source == "exploration" for item in items], dtype=bool)
        self.tagged = np.zeros((len(items), max(len(self.tags), 1)), dtype=np.float64)
        if cells:
            rows, columns = zip(*cells, strict=True)
            self.tagged[list(rows), list(columns)] = 1.0

    def recent(self, previous: Previous) -> np.ndarray:
        """Which hashtags the last ``WINDOW`` picks carried."""
        vector = np.zeros(self.tagged.shape[1])
        for tags in previous.recent_tags[-WINDOW:]:
            vector[[self.tags[tag] for tag in tags]] = 1.0
        return vector


def _eligible(coded: _Coded, alive: np.ndarray, previous: Previous, per_creator) -> np.ndarray:
    """Items that may come next; the per-page creator cap gives way before rule 1 does,
    and rule 1 only when nothing else is left."""
    creator = coded.creators.get(previous.creator, _NOBODY)
    sound = coded.sounds.get(previous.sound, _NOBODY) if previous.sound is not None else _NOBODY
    allowed = alive & (coded.creator != creator) & ((coded.sound == -1) | (coded.sound != sound))
    capped = allowed & (per_creator[coded.creator] < PER_CREATOR)
    return capped if capped.any() else allowed if allowed.any() else alive


def _explore_due(picked: list[Scored]) -> bool:
    slot = len(picked) + 1
    recent = picked[-(EXPLORE_EVERY - 1) :]
    return slot % EXPLORE_EVERY == 0 and all(p.source != "exploration" for p in recent)


def rerank(items: list[Scored], *, limit: int, previous: Previous) -> list[Scored]:
    """Up to ``limit`` items in feed order; fewer when the rules leave none.

    Among the items the rules allow next, the one with the highest diversified
    score (its score × 0.7 per hashtag shared with the last five picks) wins;
    ties go to the higher original score, then to the earlier item.
    """
    return rerank_pages(items, limit=limit, previous=previous, pages=1)[0]


def rerank_pages(
    items: list[Scored], *, limit: int, previous: Previous, pages: int
) -> list[list[Scored]]:
    """Up to ``pages`` pages of ``rerank``, each re-ranked after the one before as if
    served one by one, from one coding of the items.

    The first page is always given (short when the rules leave too few); the
    pages after it stop before the first that would be short. ``previous`` is
    left as after the first page; the later pages carry a copy of it.
    """
    coded = _Coded(sorted(items, key=lambda item: -item.score), previous)
    alive = np.ones(len(coded.items), dtype=bool)
    ranked = [_page(coded, alive, previous, limit)]
    carried = Previous(previous.creator, previous.sound, list(previous.recent_tags))
    while len(ranked) < pages and len(ranked[-1]) == limit:
        page = _page(coded, alive, carried, limit)
        if len(page) < limit:
            break
        ranked.append(page)
    return ranked


def _page(coded: _Coded, alive: np.ndarray, previous: Previous, limit: int) -> list[Scored]:
    """The next page from the items still ``alive`` (those picked are marked dead)."""
    per_creator = np.zeros(len(coded.creators), dtype=np.int64)
    picked: list[Scored] = []
    while alive.any() and len(picked) < limit:
        pool = _eligible(coded, alive, previous, per_creator)
        exploring = pool & coded.exploring
        if exploring.any() and _explore_due(picked):
            pool = exploring
        shared = coded.tagged @ coded.recent(previous)
        value = np.where(pool, coded.score * HASHTAG_PENALTY**shared, -np.inf)
        row = int(np.argmax(value))
        best = coded.items[row]
        picked.append(best)
        alive[row] = False
        per_creator[coded.creator[row]] += 1
        previous.creator, previous.sound = best.facts.author, best.facts.sound
        previous.recent_tags = [*previous.recent_tags[-(WINDOW - 1) :], best.facts.hashtags]
    return picked
