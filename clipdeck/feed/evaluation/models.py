"""Baselines with one interface: ``fit(train)`` then ``scores(users)`` (users x items).

Popularity, item-kNN, ALS (``implicit``), EASE and RP3beta; ``tuning`` picks
their hyperparameters on an inner validation split of the training data.

``recommend`` turns scores into top-K lists with the user's training items
removed; every model, Clipdeck's included, is evaluated through it.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from clipdeck.feed.cf import AlsParams, cosine_similarity, fit_als, top_k_rows

BATCH = 2048


class Popularity:
    """Items by how many users engaged with them in training."""

    name = "popularity"

    def fit(self, train: sp.csr_matrix, split=None) -> Popularity:
        self.counts = np.asarray((train > 0).sum(axis=0)).ravel().astype(np.float32)
        return self

    def scores(self, users: np.ndarray) -> np.ndarray:
        return np.tile(self.counts, (len(users), 1))


class ItemKNN:
    """Cosine item-to-item neighbours (k per item) summed over the user's items."""

    name = "item_knn"

    def __init__(self, k: int = 100) -> None:
        self.k = k

    def fit(self, train: sp.csr_matrix, split=None) -> ItemKNN:
        self.train = (train > 0).astype(np.float32).tocsr()
        self.similarity = top_k_rows(cosine_similarity(self.train), self.k).T.tocsr()
        return self

    def scores(self, users: np.ndarray) -> np.ndarray:
        return (self.train[users] @ self.similarity).toarray()


class ALS:
    """``implicit`` ALS on the training confidences."""

    name = "implicit_als"

    def __init__(self, params: AlsParams | None = None) -> None:
        self.params = params or AlsParams(factors=16, regularization=10.0, alpha=1.0)

    def fit(self, train: sp.csr_matrix, split=None) -> ALS:
        self.user_factors, self.item_factors = fit_als(train, self.params)
        return self

    def scores(self, users: np.ndarray) -> np.ndarray:
        return self.user_factors[users] @ self.item_factors.T


class EASE:
    """EASE (Steck 2019): the closed-form item-item model ``B = -P / diag(P)``, zero diagonal,

    with ``P = (X'X + λI)^-1``.
    """

    name = "ease"

    def __init__(self, regularization: float = 500.0) -> None:
        self.regularization = regularization

    def fit(self, train: sp.csr_matrix, split=None) -> EASE:
        self.train = (train > 0).astype(np.float64).tocsr()
        gram = (self.train.T @ self.train).toarray()
        gram[np.diag_indices_from(gram)] += self.regularization
        precision = np.linalg.inv(gram)
        self.weights = -precision / np.diag(precision)[None, :]
        self.weights[np.diag_indices_from(self.weights)] = 0.0
        return self

    def scores(self, users: np.ndarray) -> np.ndarray:
        return np.asarray(self.train[users] @ self.weights)


class RP3beta:
    """RP3beta (Paudel et al. 2017): three-step random walk user-item-user-item, popularity
    damped by ``item degree ** beta``, transition probabilities raised to ``alpha``."""

    name = "rp3beta"

    def __init__(self, alpha: float = 1.0, beta: float = 0.5, k: int = 200) -> None:
        self.alpha, self.beta, self.k = alpha, beta, k

    def fit(self, train: sp.csr_matrix, split=None) -> RP3beta:
        binary = (train > 0).astype(np.float32).tocsr()
        self.train = binary
        user_degree = np.maximum(np.asarray(binary.sum(axis=1)).ravel(), 1)
        item_degree = np.maximum(np.asarray(binary.sum(axis=0)).ravel(), 1)
        user_to_item = sp.diags(1 / user_degree) @ binary
        item_to_user = sp.diags(1 / item_degree) @ binary.T.tocsr()
        if self.alpha != 1.0:
            user_to_item = user_to_item.power(self.alpha)
            item_to_user = item_to_user.power(self.alpha)
        walk = (item_to_user @ user_to_item).tocsr()
        walk = walk @ sp.diags(np.power(item_degree, -self.beta).astype(np.float32))
        walk.setdiag(0)
        walk.eliminate_zeros()
        self.weights = top_k_rows(walk.tocsr(), self.k)
        return self

    def scores(self, users: np.ndarray) -> np.ndarray:
        return (self.train[users] @ self.weights).toarray()


def recommend(model, train: sp.csr_matrix, k: int, users: np.ndarray | None = None) -> np.ndarray:
    """Top-``k`` item indexes per user (best first), training items excluded."""
    users = np.arange(train.shape[0]) if users is None else users
    take = min(k, train.shape[1])
    top = np.full((len(users), k), -1, dtype=np.int64)  # -1 pads a catalogue smaller than k
    for start in range(0, len(users), BATCH):
        batch = users[start : start + BATCH]
        scores = np.asarray(model.scores(batch), dtype=np.float64)
        seen = train[batch].tocoo()
        scores[seen.row, seen.col] = -np.inf
        part = np.argpartition(-scores, take - 1, axis=1)[:, :take]
        order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
        top[start : start + len(batch), :take] = np.take_along_axis(part, order, axis=1)
    return top
