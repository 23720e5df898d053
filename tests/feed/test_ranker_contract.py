"""Every ranker keeps the ``Ranker`` contract: fit, score, save and load, one way for all."""

from __future__ import annotations

import numpy as np
import pytest

from clipdeck.feed import artefacts
from clipdeck.feed.features import FEATURES
from clipdeck.feed.listwise import Lists
from clipdeck.feed.ranker import (
    HEADS,
    MIN_LISTS,
    ORDER,
    HeadsRanker,
    Lessons,
    Ranker,
    _in_validation,
    ndcg,
)

pytestmark = pytest.mark.django_db  # the suite's cache reset needs the database

RANKERS = [HeadsRanker]
LIKE = FEATURES.index("video_like_rate")


def _examples(n: int = 600, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, len(FEATURES)))
    x[:, FEATURES.index("viewer_creator_interest")] = 0.0
    x[:, FEATURES.index("viewer_sound_interest")] = 0.0
    x[:, FEATURES.index("viewer_hashtag_interest")] = 0.0
    labels = {
        "complete": (x[:, 0] + 0.2 * rng.random(n) > 0.6).astype(int),
        "like": (x[:, LIKE] + 0.2 * rng.random(n) > 0.7).astype(int),
        "share": np.zeros(n, dtype=int),  # one class only: that head cannot be trained
    }
    return x, labels, np.arange(n) % 50


@pytest.mark.parametrize("make", RANKERS, ids=lambda cls: cls.name)
def test_a_ranker_fits_scores_saves_and_loads(make, tmp_path):
    x, labels, users = _examples()
    ranker = make()
    assert isinstance(ranker, Ranker)

    metrics = ranker.fit(Lessons(x, labels, users))
    ranker.save(tmp_path)
    loaded = make.load(tmp_path)

    rows, muted = _examples(100, seed=1)[0], np.zeros(100, dtype=bool)
    assert np.allclose(ranker.score(rows, muted), loaded.score(rows, muted))
    assert metrics["like"]["trained"] and metrics["share"] == {
        "trained": False,
        "why": "one class only",
        "examples": 600,
    }


@pytest.mark.parametrize("make", RANKERS, ids=lambda cls: cls.name)
def test_a_ranker_learns_what_the_labels_reward(make):
    x, labels, users = _examples()
    ranker = make()
    ranker.fit(Lessons(x, labels, users))
    rows = np.full((2, len(FEATURES)), 0.5)
    rows[0, LIKE], rows[1, LIKE] = 0.95, 0.05

    high, low = ranker.score(rows, np.zeros(2, dtype=bool))

    assert high > low


@pytest.mark.parametrize("make", RANKERS, ids=lambda cls: cls.name)
def test_a_muted_creator_scores_lower_and_no_rows_score_nothing(make):
    x, labels, users = _examples()
    ranker = make()
    ranker.fit(Lessons(x, labels, users))
    rows = np.repeat(x[:1], 2, axis=0)

    plain, muted = ranker.score(rows, np.array([False, True]))

    assert muted < plain
    assert ranker.score(np.zeros((0, len(FEATURES))), np.zeros(0, dtype=bool)).shape == (0,)


def test_a_head_with_one_class_predicts_that_class_rate_and_keeps_it_when_loaded(tmp_path):
    x, labels, users = _examples()
    ranker = HeadsRanker()
    ranker.fit(Lessons(x, labels, users))  # nobody shared: the share head has one class
    rows = _examples(50, seed=3)[0]
    rows[:, FEATURES.index("video_share_rate")] = np.linspace(0.0, 0.5, 50)

    ranker.save(tmp_path)
    shared = HeadsRanker.load(tmp_path).predict(rows)["share"]

    assert np.array_equal(shared, np.zeros(50))  # not the rows' smoothed share rates
    assert np.array_equal(ranker.predict(rows)["share"], shared)


def test_an_unfitted_ranker_falls_back_to_the_videos_rates():
    rows = np.zeros((2, len(FEATURES)))
    rows[0, FEATURES.index("video_like_rate")] = 0.5

    scores = HeadsRanker().score(rows, np.zeros(2, dtype=bool))

    assert scores[0] > scores[1]


def test_the_feed_scores_with_the_ranker_training_saved(tmp_path, settings):
    settings.CLIPDECK_RECSYS_DIR = tmp_path / "recsys"
    from clipdeck.feed.training import train
    from tests.feed.test_training import synthetic_log

    synthetic_log()
    train(days=30)
    served = artefacts.load_current().ranker

    folder = artefacts.recsys_dir() / artefacts.current_version()
    assert isinstance(served, HeadsRanker)
    assert sorted(served.boosters) == sorted(
        head for head in (*HEADS, ORDER) if (folder / f"ranker_{head}.txt").exists()
    )
    rows = _examples(20, seed=2)[0]
    muted = np.zeros(20, dtype=bool)
    assert np.allclose(served.score(rows, muted), HeadsRanker.load(folder).score(rows, muted))


def test_only_a_short_term_hashtag_interest_multiplies_the_served_score():
    from clipdeck.feed.context import ViewerContext
    from clipdeck.feed.features import VideoFacts
    from clipdeck.feed.ranking import page_scores

    def video(pk: str, tag: str) -> VideoFacts:
        return VideoFacts(pk, "creator", "", None, "", 10_000, 1.0, hashtags=[tag])

    facts = {"a": video("a", "cats"), "b": video("b", "dogs"), "c": video("c", "birds")}
    rows = np.full((3, len(FEATURES)), 0.3)
    context = ViewerContext(personalized=True, hashtags={"dogs": 9.0, "cats": 3.0})
    context.recent_hashtags = {"cats": 3.0}

    cats, dogs, birds = page_scores(context, facts, rows, None)

    assert cats > dogs == birds  # a long-term interest alone is left to the heads' features


EASE = FEATURES.index("ease_score")


def _lists(count: int, *, reversed_for_training: bool = False, seed: int = 0) -> Lists:
    """Lists of 30 candidates whose relevance rises with the EASE score (3 relevant each).

    With ``reversed_for_training`` the lists of the users outside the ranker's
    validation fifth reward the opposite order, so a head learned from them
    orders the held-out lists badly.
    """
    rng = np.random.default_rng(seed)
    users = np.arange(count)
    held = _in_validation(users)
    rows, relevance = [], []
    for user in users:
        x = rng.random((30, len(FEATURES)))
        order = np.argsort(-x[:, EASE]) if held[user] or not reversed_for_training else None
        if order is None:
            order = np.argsort(x[:, EASE])
        gains = np.zeros(30, dtype=np.int32)
        gains[order[:3]] = [3, 2, 1]
        rows.append(x)
        relevance.append(gains)
    return Lists(
        x=np.vstack(rows),
        relevance=np.concatenate(relevance),
        sizes=np.full(count, 30, dtype=np.int32),
        users=users,
        videos=[f"v{row}" for row in range(30 * count)],
    )


def test_the_listwise_head_orders_the_page_when_it_beats_the_heads_and_is_saved(tmp_path):
    x, labels, users = _examples()
    ranker = HeadsRanker()

    metrics = ranker.fit(Lessons(x, labels, users, _lists(200)))
    ranker.save(tmp_path)
    loaded = HeadsRanker.load(tmp_path)

    assert metrics[ORDER]["serves"] is True
    assert metrics[ORDER]["validation_ndcg@20"] > metrics[ORDER]["heads_validation_ndcg@20"]
    assert ORDER in loaded.boosters
    rows = np.full((2, len(FEATURES)), 0.5)
    rows[0, EASE], rows[1, EASE] = 0.95, 0.05  # the lists reward EASE, the heads never saw it
    muted = np.zeros(2, dtype=bool)
    high, low = loaded.score(rows, muted)
    assert high > low
    assert np.allclose(ranker.score(rows, muted), loaded.score(rows, muted))


def test_a_listwise_head_that_orders_held_out_lists_worse_is_not_served(tmp_path):
    x, labels, users = _examples()
    ranker = HeadsRanker()

    metrics = ranker.fit(Lessons(x, labels, users, _lists(200, reversed_for_training=True)))
    ranker.save(tmp_path)

    assert metrics[ORDER]["trained"] is True and metrics[ORDER]["serves"] is False
    assert ORDER not in ranker.boosters
    assert not (tmp_path / f"ranker_{ORDER}.txt").exists()


def test_too_few_lists_leave_the_heads_in_charge():
    x, labels, users = _examples()
    ranker = HeadsRanker()

    metrics = ranker.fit(Lessons(x, labels, users, _lists(MIN_LISTS - 1)))

    assert metrics[ORDER] == {
        "trained": False,
        "why": f"fewer than {MIN_LISTS} lists",
        "lists": MIN_LISTS - 1,
    }
    assert ORDER not in ranker.boosters


def test_ndcg_rewards_relevant_rows_first_and_skips_lists_without_any():
    relevance = np.array([0, 1, 3, 0, 0])
    sizes = np.array([3, 2])  # the second list has nothing relevant: left out of the mean

    best = ndcg(np.array([0.0, 1.0, 2.0, 5.0, 4.0]), relevance, sizes)
    worst = ndcg(np.array([2.0, 1.0, 0.0, 5.0, 4.0]), relevance, sizes)

    assert best == 1.0
    assert 0 < worst < best
