"""The re-ranking rules, on hand-made scored lists."""

from __future__ import annotations

import pytest

from clipdeck.feed.features import VideoFacts
from clipdeck.feed.rerank import Previous, Scored, rerank, rerank_pages

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


def _greedy(items, *, limit, previous):
    """The rules spelled out one candidate at a time: what the array version must match."""
    from clipdeck.feed.rerank import EXPLORE_EVERY, HASHTAG_PENALTY, PER_CREATOR, WINDOW

    remaining = sorted(items, key=lambda scored: -scored.score)
    picked, per_creator = [], {}
    while remaining and len(picked) < limit:
        allowed = [
            s
            for s in remaining
            if s.facts.author != previous.creator
            and (s.facts.sound is None or s.facts.sound != previous.sound)
        ]
        capped = [s for s in allowed if per_creator.get(s.facts.author, 0) < PER_CREATOR]
        pool = capped or allowed or remaining
        exploring = [s for s in pool if s.source == "exploration"]
        due = (len(picked) + 1) % EXPLORE_EVERY == 0 and all(
            p.source != "exploration" for p in picked[-(EXPLORE_EVERY - 1) :]
        )
        pool = exploring if exploring and due else pool
        recent = {tag for tags in previous.recent_tags[-WINDOW:] for tag in tags}
        best = max(
            pool, key=lambda s: s.score * HASHTAG_PENALTY ** len(recent & set(s.facts.hashtags))
        )
        picked.append(best)
        remaining.remove(best)
        per_creator[best.facts.author] = per_creator.get(best.facts.author, 0) + 1
        previous.creator, previous.sound = best.facts.author, best.facts.sound
        previous.recent_tags = [*previous.recent_tags[-(WINDOW - 1) :], best.facts.hashtags]
    return picked


def _random_items(rng, *, creators: int, tags: list[str], most: int) -> list[Scored]:
    """Up to ``most`` scored items of random creators, sounds, hashtags, sources and scores
    (ties and negative scores included)."""
    return [
        item(
            f"v{n}",
            f"c{rng.randrange(creators)}",
            rng.choice([rng.uniform(0, 5), rng.uniform(-1, 0), 1.0]),
            sound=rng.choice([None, "s1", "s2", "s3"]),
            tags=rng.sample(tags, rng.randint(0, 3)),
            source=rng.choice(["trending", "fresh", "exploration", "collaborative"]),
        )
        for n in range(rng.randint(0, most))
    ]


@pytest.mark.parametrize("seed", range(20))
def test_the_array_rerank_picks_what_the_rules_spelled_out_pick(seed):
    import random

    rng = random.Random(seed)
    tags = ["a", "b", "c", "d", "e"]
    items = _random_items(rng, creators=6, tags=tags, most=70)
    limit = rng.choice([1, 5, 10, 30])

    def previous():
        return Previous(
            creator=f"c{seed % 7}",
            sound=rng_sound,
            recent_tags=[tags[seed % 5 : seed % 5 + 2], ["zzz"]],
        )

    rng_sound = rng.choice([None, "s1"])
    expected_previous, actual_previous = previous(), previous()

    expected = order(_greedy(items, limit=limit, previous=expected_previous))

    assert order(rerank(items, limit=limit, previous=actual_previous)) == expected
    assert actual_previous == expected_previous


def _page_by_page(items, *, limit, previous, pages):
    """``rerank`` called page after page on what is left: what one coding must match."""
    first = rerank(items, limit=limit, previous=previous)
    ranked = [first]
    carried = Previous(previous.creator, previous.sound, list(previous.recent_tags))
    taken = {scored.facts.id for scored in first}
    while len(ranked) < pages and len(ranked[-1]) == limit:
        left = [scored for scored in items if scored.facts.id not in taken]
        page = rerank(left, limit=limit, previous=carried)
        if len(page) < limit:
            break
        ranked.append(page)
        taken |= {scored.facts.id for scored in page}
    return ranked


@pytest.mark.parametrize("seed", range(30))
def test_pages_ranked_from_one_coding_are_the_pages_ranked_one_by_one(seed):
    import random

    rng = random.Random(1000 + seed)
    tags = ["a", "b", "c", "d", "e", "f"]
    items = _random_items(rng, creators=8, tags=tags, most=160)
    limit, pages = rng.choice([1, 5, 10]), rng.choice([1, 2, 4, 8])

    def previous():
        return Previous(creator=f"c{seed % 9}", sound="s1", recent_tags=[["a", "b"], ["zzz"]])

    expected_previous, actual_previous = previous(), previous()
    expected = _page_by_page(items, limit=limit, previous=expected_previous, pages=pages)
    actual = rerank_pages(items, limit=limit, previous=actual_previous, pages=pages)

    assert [order(page) for page in actual] == [order(page) for page in expected]
    assert actual_previous == expected_previous  # left as after the first page
    assert 1 <= len(actual) <= pages
    assert all(len(page) == limit for page in actual[1:])
