"""The HNSW graph over the item factors: it finds what brute force finds, with exact scores."""

from __future__ import annotations

import numpy as np
import pytest

from clipdeck.feed import ann

pytestmark = pytest.mark.django_db  # the suite's cache reset needs the database


def _factors(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((40, 16)).astype(np.float32)
    return (centres[rng.integers(0, 40, n)] + 0.3 * rng.standard_normal((n, 16))).astype(np.float32)


def test_the_graph_finds_the_top_videos_brute_force_finds(tmp_path):
    factors = _factors(5000)
    assert ann.build(factors, tmp_path, min_items=0)
    graph = ann.load(tmp_path)
    rng = np.random.default_rng(1)
    overlap = []
    for _ in range(30):
        vector = factors[rng.integers(0, len(factors), 5)].mean(axis=0)
        exact = ann.top_rows(factors, vector, 20)
        approximate = ann.top_rows(factors, vector, 20, graph)
        scores = factors[approximate] @ vector
        assert np.all(np.diff(scores) <= 1e-6)  # best first, by the exact dot product
        overlap.append(len(set(exact.tolist()) & set(approximate.tolist())) / 20)
    assert np.mean(overlap) >= 0.9


def test_a_small_catalogue_keeps_brute_force(tmp_path):
    assert not ann.build(_factors(100), tmp_path)
    assert ann.load(tmp_path) is None


def test_asking_for_more_than_the_catalogue_returns_it_all():
    factors = _factors(30)
    rows = ann.top_rows(factors, factors[0], 100)
    assert sorted(rows.tolist()) == list(range(30))
    assert ann.top_rows(factors, factors[0], 0).size == 0
