"""ALS from ``implicit`` runs with one BLAS thread, set around the fit, not at import."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from clipdeck.feed.cf import AlsParams, fit_als

pytestmark = pytest.mark.django_db  # the suite clears the database cache around each test


def test_fitting_als_gives_factors_and_no_blas_warning(monkeypatch):
    import implicit.utils

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setattr(implicit.utils, "_checked_blas_config", False)  # it warns once
    user_items = sp.random(30, 20, density=0.2, format="csr", random_state=0, dtype=np.float32)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        users, items = fit_als(user_items, AlsParams(factors=8, iterations=2))

    assert users.shape == (30, 8) and items.shape == (20, 8)


def _two_taste_groups(users: int = 40, items: int = 12) -> sp.csr_matrix:
    """Even users engage with even items, odd users with odd items."""
    rows, cols = [], []
    for user in range(users):
        for item in range(items):
            if item % 2 == user % 2 and (user + item) % 3:
                rows.append(user)
                cols.append(item)
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(users, items))


def test_ease_weights_link_videos_of_the_same_taste_and_never_a_video_to_itself():
    from clipdeck.feed.cf import EaseParams, fit_ease

    weights = fit_ease(_two_taste_groups(), EaseParams(regularization=1.0, keep=3)).toarray()

    assert weights.shape == (12, 12)
    assert not np.diag(weights).any()
    for item in range(12):
        kept = np.flatnonzero(weights[item])
        assert 0 < len(kept) <= 3
        assert all(other % 2 == item % 2 for other in kept)


def test_ease_is_limited_to_the_most_engaged_videos():
    from clipdeck.feed.cf import EaseParams, fit_ease

    matrix = _two_taste_groups().tolil()
    matrix[:, 11] = 0  # the least engaged video: nobody
    matrix = matrix.tocsr()
    matrix.eliminate_zeros()

    weights = fit_ease(matrix, EaseParams(regularization=1.0, max_items=4, keep=3))

    engaged = np.asarray((matrix > 0).sum(axis=0)).ravel()
    top = set(np.argsort(-engaged, kind="stable")[:4].tolist())
    assert set(np.flatnonzero(np.diff(weights.indptr)).tolist()) <= top
    assert set(weights.indices.tolist()) <= top


def test_eases_regularisation_is_chosen_on_held_out_engagements_from_the_grid():
    from clipdeck.feed.cf import EaseParams, choose_ease

    matrix = _two_taste_groups(users=200, items=30)

    chosen, scores = choose_ease(matrix, EaseParams(keep=5), grid=(1.0, 1e6))

    assert set(scores["validation_ndcg@20"]) == {"1.0", "1000000.0"}
    best = max(scores["validation_ndcg@20"].items(), key=lambda item: item[1])[0]
    assert chosen.regularization == float(best) and chosen.keep == 5
    assert all(0.0 <= value <= 1.0 for value in scores["validation_ndcg@20"].values())


def test_ease_keeps_its_default_regularisation_with_too_few_viewers_to_judge_by():
    from clipdeck.feed.cf import EaseParams, choose_ease

    chosen, scores = choose_ease(_two_taste_groups(users=10), EaseParams(regularization=7.0))

    assert chosen.regularization == 7.0 and scores == {}
