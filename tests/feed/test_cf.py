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
