"""The re-ranking rules, on hand-made scored lists."""

from __future__ import annotations

import pytest

from clipdeck.feed.features import VideoFacts
from clipdeck.feed.rerank import Previous, Scored, rerank

pytestmark = pytest.mark.django_db  # the autouse fixture clears the database cache


def item(pk, creator, score, *, sound=None, tags=(), source="trending") -> Scored:
    facts = VideoFacts(
        id=pk,
        author=creator,
        handle=creator,
        sound=sound,
        sound_title="",
        duration_ms=1000,
        age_hours=1,
        hashtags=list(tags),
    )
    return Scored(facts, score, source)


def order(picked) -> list[str]:
    return [scored.facts.id for scored in picked]


def test_never_two_in_a_row_from_the_same_creator():
    items = [item("a1", "a", 9), item("a2", "a", 8), item("b1", "b", 1)]

    picked = rerank(items, limit=3, previous=Previous())

    assert order(picked) == ["a1", "b1", "a2"]


def test_never_two_in_a_row_with_the_same_sound():
    items = [item("x", "a", 9, sound="s"), item("y", "b", 8, sound="s"), item("z", "c", 1)]

    assert order(rerank(items, limit=3, previous=Previous())) == ["x", "z", "y"]


def test_the_creator_rule_gives_way_only_when_nothing_else_is_left():
    items = [item("a1", "a", 9), item("a2", "a", 8), item("a3", "a", 7), item("b1", "b", 1)]

    # b1 breaks up a's run once; after that only a's videos remain, and an
    # empty feed would serve nobody (a small deployment may have one creator).
    assert order(rerank(items, limit=5, previous=Previous())) == ["a1", "b1", "a2", "a3"]


def test_the_rule_carries_across_pages():
    items = [item("a2", "a", 9), item("b1", "b", 1)]

    picked = rerank(items, limit=1, previous=Previous(creator="a"))

    assert order(picked) == ["b1"]


def test_repeated_hashtags_give_way_to_other_topics():
    items = [
        item("cat1", "a", 10, tags=["cats"]),
        item("cat2", "b", 9, tags=["cats"]),
        item("dog", "c", 8, tags=["dogs"]),
    ]

    assert order(rerank(items, limit=3, previous=Previous())) == ["cat1", "dog", "cat2"]


def test_every_fifth_slot_goes_to_exploration_when_available():
    items = [item(f"v{n}", f"c{n}", 10 - n) for n in range(6)]
    items.append(item("new", "n", 0.01, source="exploration"))

    picked = rerank(items, limit=5, previous=Previous())

    assert order(picked)[4] == "new"


@pytest.mark.parametrize("seed", range(5))
def test_the_early_stopping_scan_picks_what_a_full_scan_picks(seed):
    import random

    from clipdeck.feed.rerank import HASHTAG_PENALTY, WINDOW, _most_diverse

    rng = random.Random(seed)
    tags = ["a", "b", "c", "d"]
    pool = sorted(
        (
            item(f"v{n}", f"c{n}", rng.uniform(0, 5), tags=rng.sample(tags, rng.randint(0, 2)))
            for n in range(60)
        ),
        key=lambda scored: -scored.score,
    )
    previous = Previous(recent_tags=[rng.sample(tags, 2) for _ in range(3)])
    recent = {tag for tags in previous.recent_tags[-WINDOW:] for tag in tags}

    full = max(pool, key=lambda s: s.score * HASHTAG_PENALTY ** len(recent & set(s.facts.hashtags)))

    assert _most_diverse(pool, previous) is full
