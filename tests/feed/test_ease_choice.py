"""EASE's λ is chosen at each training on the label cut-off's split, never fixed blindly."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from clipdeck.feed import ease_choice, training
from clipdeck.feed.cf import EaseParams
from clipdeck.feed.evaluation.production import event_log

pytestmark = pytest.mark.django_db  # the suite's cache reset needs the database


def taste_log(seed: int = 0):
    """Two groups of 40 viewers, each completing a fifth of its own group's 40 videos."""
    rng = np.random.default_rng(seed)
    liked = np.zeros((80, 80), dtype=np.float32)
    liked[:40, :40] = rng.random((40, 40)) < 0.2
    liked[40:, 40:] = rng.random((40, 40)) < 0.2
    return event_log(sp.csr_matrix(liked), [f"v{i}" for i in range(80)], {}, seed=seed)


def test_the_chosen_lambda_is_the_grid_s_best_on_what_came_after_the_cutoff():
    before, after, _ = training.split_at_cutoff(taste_log())

    chosen, card = ease_choice.choose(before, after, [f"v{i}" for i in range(80)], EaseParams())

    measured = {float(lam): value for lam, value in card["ndcg@20"].items()}
    assert sorted(measured) == sorted(ease_choice.GRID)
    assert chosen.regularization == card["chosen"] == max(measured, key=measured.get)
    assert 0 < card["viewers"] <= 80
    # the groups are learnable: the best λ ranks each group's own unseen videos well
    assert max(measured.values()) > 0.2


def test_without_anything_relevant_after_the_cutoff_the_given_lambda_stays():
    log = taste_log()
    before, _, _ = training.split_at_cutoff(log)

    chosen, card = ease_choice.choose(before, [], sorted(log.videos), EaseParams())

    assert chosen == EaseParams()
    assert card == {"chosen": EaseParams().regularization, "why": "no viewer to measure on"}


def test_training_fits_ease_with_the_chosen_lambda_and_says_so(settings, tmp_path):
    settings.CLIPDECK_RECSYS_DIR = tmp_path / "recsys"
    log = taste_log()
    before, after, _ = training.split_at_cutoff(log)
    expected, _ = ease_choice.choose(before, after, sorted(log.videos), EaseParams())

    card = training.train_on_log(log, days=30)

    assert card["ease"]["regularization"] == expected.regularization
    assert card["ease"]["regularization_choice"]["chosen"] == expected.regularization
    given = training.train_on_log(log, days=30, ease_params=EaseParams(regularization=77.0))
    assert given["ease"]["regularization"] == 77.0
    assert given["ease"]["regularization_choice"] == {"chosen": "given"}
