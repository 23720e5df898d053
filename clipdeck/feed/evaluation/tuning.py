"""Hyperparameters chosen on an inner validation split of the training data, never the test.

The training pairs are split again per user (80/20, ``holdout``); each
candidate setting is fitted on the inner 80 % and scored (NDCG@20) on the
inner 20 %; the best setting is then refitted on all the training pairs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from clipdeck.feed.cf import EASE_GRID, AlsParams
from clipdeck.feed.evaluation.metrics import evaluate
from clipdeck.feed.evaluation.models import ALS, EASE, ItemKNN, RP3beta, recommend

VALIDATION_SHARE = 0.2
METRIC = "ndcg@20"


def grids(seed: int) -> dict[str, list[Callable[[], object]]]:
    """The settings tried for each tuned baseline."""
    return {
        "item_knn": [lambda k=k: ItemKNN(k=k) for k in (50, 100, 200, 400)],
        "implicit_als": [
            lambda f=f, r=r: ALS(AlsParams(factors=f, regularization=r, alpha=1.0, seed=seed))
            for f in (16, 64)
            for r in (1.0, 10.0, 50.0)
        ],
        "ease": [lambda r=r: EASE(regularization=r) for r in EASE_GRID],
        "rp3beta": [
            lambda a=a, b=b: RP3beta(alpha=a, beta=b)
            for a in (0.5, 1.0)
            for b in (0.0, 0.3, 0.5, 0.7)
        ],
    }


def holdout(train: sp.csr_matrix, share: float, seed: int) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Per-user random split of ``train`` into (kept, held out)."""
    rng = np.random.default_rng(seed)
    coo = train.tocoo()
    held = rng.random(coo.nnz) < share
    shape = train.shape
    kept = sp.csr_matrix((coo.data[~held], (coo.row[~held], coo.col[~held])), shape=shape)
    out = sp.csr_matrix((coo.data[held], (coo.row[held], coo.col[held])), shape=shape)
    return kept, out


class Tuned:
    """A baseline whose setting is the best of ``candidates`` on the inner validation split."""

    def __init__(self, name: str, candidates: list[Callable[[], object]], seed: int) -> None:
        self.name, self.candidates, self.seed = name, candidates, seed
        self.chosen: dict = {}

    def fit(self, train: sp.csr_matrix, split=None) -> Tuned:
        inner, held = holdout(train, VALIDATION_SHARE, self.seed)
        best, best_score = None, -1.0
        for make in self.candidates:
            model = make().fit(inner, split)
            score = evaluate(recommend(model, inner, 20), held, ks=(20,))[METRIC]
            if score > best_score:
                best, best_score = make, score
        self.model = best().fit(train, split)
        self.chosen = {"setting": _setting(self.model), "validation_" + METRIC: best_score}
        return self

    def scores(self, users):
        return self.model.scores(users)


def _setting(model) -> dict:
    keep = ("k", "regularization", "alpha", "beta", "params")
    return {k: repr(v) for k, v in vars(model).items() if k in keep}
