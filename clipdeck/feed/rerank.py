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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clipdeck.feed.features import VideoFacts

HASHTAG_PENALTY = 0.7
WINDOW = 5
PER_CREATOR = 2
EXPLORE_EVERY = 5


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


def _allowed(item: Scored, previous: Previous) -> bool:
    facts = item.facts
    if facts.author == previous.creator:
        return False
    return facts.sound is None or facts.sound != previous.sound


def _eligible(remaining: list[Scored], previous: Previous, per_creator: dict) -> list[Scored]:
    """Items that may come next; the per-page creator cap gives way before rule 1 does,
    and rule 1 only when nothing else is left."""
    allowed = [item for item in remaining if _allowed(item, previous)]
    capped = [item for item in allowed if per_creator.get(item.facts.author, 0) < PER_CREATOR]
    return capped or allowed or remaining


def _most_diverse(pool: list[Scored], previous: Previous) -> Scored:
    """The item of ``pool`` (best score first) with the highest diversified score.

    The hashtag penalty only lowers a non-negative score, so once an item's
    own score is no higher than the best diversified one found, none after
    it can win: the scan stops there.
    """
    recent = {tag for tags in previous.recent_tags[-WINDOW:] for tag in tags}
    best, best_value = pool[0], float("-inf")
    for item in pool:
        if best_value >= 0 and item.score <= best_value:
            break
        value = item.score * HASHTAG_PENALTY ** len(recent.intersection(item.facts.hashtags))
        if value > best_value:
            best, best_value = item, value
    return best


def _explore_due(picked: list[Scored]) -> bool:
    slot = len(picked) + 1
    recent = picked[-(EXPLORE_EVERY - 1) :]
    return slot % EXPLORE_EVERY == 0 and all(p.source != "exploration" for p in recent)


def rerank(items: list[Scored], *, limit: int, previous: Previous) -> list[Scored]:
    """Up to ``limit`` items in feed order; fewer when the rules leave none."""
    remaining = sorted(items, key=lambda item: -item.score)
    picked: list[Scored] = []
    per_creator: dict[str, int] = {}
    while remaining and len(picked) < limit:
        allowed = _eligible(remaining, previous, per_creator)
        exploring = [item for item in allowed if item.source == "exploration"]
        pool = exploring if exploring and _explore_due(picked) else allowed
        if not pool:
            break
        best = _most_diverse(pool, previous)
        picked.append(best)
        remaining.remove(best)
        per_creator[best.facts.author] = per_creator.get(best.facts.author, 0) + 1
        previous.creator, previous.sound = best.facts.author, best.facts.sound
        previous.recent_tags = [*previous.recent_tags[-(WINDOW - 1) :], best.facts.hashtags]
    return picked
