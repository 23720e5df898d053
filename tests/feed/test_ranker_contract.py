"""Every ranker keeps the ``Ranker`` contract: fit, score, save and load, one way for all."""

from __future__ import annotations

import numpy as np
import pytest

from clipdeck.feed import artefacts
from clipdeck.feed.features import FEATURES
from clipdeck.feed.ranker import HEADS, HeadsRanker, Ranker

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

    metrics = ranker.fit(x, labels, users)
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
    ranker.fit(x, labels, users)
    rows = np.full((2, len(FEATURES)), 0.5)
    rows[0, LIKE], rows[1, LIKE] = 0.95, 0.05

    high, low = ranker.score(rows, np.zeros(2, dtype=bool))

    assert high > low


@pytest.mark.parametrize("make", RANKERS, ids=lambda cls: cls.name)
def test_a_muted_creator_scores_lower_and_no_rows_score_nothing(make):
    x, labels, users = _examples()
    ranker = make()
    ranker.fit(x, labels, users)
    rows = np.repeat(x[:1], 2, axis=0)

    plain, muted = ranker.score(rows, np.array([False, True]))

    assert muted < plain
    assert ranker.score(np.zeros((0, len(FEATURES))), np.zeros(0, dtype=bool)).shape == (0,)


def test_a_head_with_one_class_predicts_that_class_rate_and_keeps_it_when_loaded(tmp_path):
    x, labels, users = _examples()
    ranker = HeadsRanker()
    ranker.fit(x, labels, users)  # nobody shared: the share head has one class
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
        head for head in HEADS if (folder / f"ranker_{head}.txt").exists()
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
