"""Clipdeck's ranker, offline: the feed's candidate sources, then a learned ranker.

Sources as in the live feed: popularity (trending), item-kNN (co-engagement),
ALS (collaborative) and tag affinity (hashtags). Each user's candidates are the
union of every source's top ``candidates``; LightGBM (LambdaMART) re-scores
them from the sources' scores and ranks, item side features, the user's
activity, and popularity among users of similar activity.

It learns honestly: the training pairs are split again per user (80/20), the
sources are fitted on the inner 80 % and the ranker learns to find the inner
20 %; then the sources are refitted on all training pairs for the test.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from clipdeck.feed.evaluation.models import ALS, ItemKNN, Popularity

BATCH = 256
ACTIVITY_BUCKETS = 5
RANKER = {
    "objective": "lambdarank",
    "metric": "ndcg",
    "eval_at": [20],
    "learning_rate": 0.05,
    "num_leaves": 7,
    "min_data_in_leaf": 200,
    "lambdarank_truncation_level": 50,
    "verbose": -1,
    "seed": 0,
    "deterministic": True,
    "num_threads": 2,
}
ROUNDS = 100
MAX_TRAIN_USERS = 4000


def holdout(train: sp.csr_matrix, share: float, seed: int) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Per-user random split of ``train`` into (kept, held out)."""
    rng = np.random.default_rng(seed)
    coo = train.tocoo()
    held = rng.random(coo.nnz) < share
    shape = train.shape
    kept = sp.csr_matrix((coo.data[~held], (coo.row[~held], coo.col[~held])), shape=shape)
    out = sp.csr_matrix((coo.data[held], (coo.row[held], coo.col[held])), shape=shape)
    return kept, out


class Sources:
    """The candidate sources fitted on one matrix, and the side information."""

    def __init__(self, train: sp.csr_matrix, split, seed: int) -> None:
        self.train = (train > 0).astype(np.float32).tocsr()
        self.popularity = Popularity().fit(train)
        self.knn = ItemKNN().fit(train)
        self.als = ALS().fit(train)
        self.tags = split.tags if split is not None and split.tags is not None else None
        self.numeric = split.numeric if split is not None else None
        activity = np.asarray(self.train.sum(axis=1)).ravel()
        edges = np.quantile(activity, np.linspace(0, 1, ACTIVITY_BUCKETS + 1)[1:-1])
        self.bucket = np.searchsorted(edges, activity, side="right")
        self.activity = activity
        self.bucket_popularity = np.vstack(
            [
                np.asarray(self.train[self.bucket == b].sum(axis=0)).ravel()
                / max((self.bucket == b).sum(), 1)
                for b in range(ACTIVITY_BUCKETS)
            ]
        )
        fans = self.train.T.tocsr()
        fan_count = np.maximum(np.asarray(fans.sum(axis=1)).ravel(), 1)
        self.fan_activity = np.log1p(fans @ activity / fan_count)

    def score_sources(self, users: np.ndarray) -> dict[str, np.ndarray]:
        scores = {
            "popularity": self.popularity.scores(users),
            "knn": self.knn.scores(users),
            "als": self.als.scores(users),
        }
        if self.tags is not None:
            profile = np.asarray((self.train[users] @ self.tags).todense())
            profile /= np.maximum(profile.sum(axis=1, keepdims=True), 1)
            scores["tags"] = np.asarray(profile @ self.tags.T.todense())
        return scores


def _standardised(scores: np.ndarray) -> np.ndarray:
    """Per-user z-scores, so that sources fitted on more data keep the same scale."""
    mean = scores.mean(axis=1, keepdims=True)
    spread = scores.std(axis=1, keepdims=True)
    return (scores - mean) / np.where(spread > 0, spread, 1.0)


def _rank_pct(scores: np.ndarray) -> np.ndarray:
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(scores.shape[1])[None, :], axis=1)
    return ranks / scores.shape[1]


def candidate_features(
    sources: Sources, users: np.ndarray, per_source: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(user row, item, features) for each user's candidates, training items left out."""
    scores = sources.score_sources(users)
    seen = sources.train[users].toarray() > 0
    chosen = np.zeros_like(seen)
    take = min(per_source, seen.shape[1])
    for values in scores.values():
        masked = np.where(seen, -np.inf, values)
        top = np.argpartition(-masked, take - 1, axis=1)[:, :take]
        np.put_along_axis(chosen, top, True, axis=1)
    chosen &= ~seen
    rows, items = np.nonzero(chosen)
    columns = []
    for values in scores.values():
        columns += [_standardised(values)[rows, items], _rank_pct(values)[rows, items]]
    user_activity = sources.activity[users][rows]
    columns += [
        np.log1p(user_activity),
        sources.bucket_popularity[sources.bucket[users][rows], items],
        sources.popularity.counts[items] / sources.train.shape[0],
        sources.fan_activity[items] - np.log1p(user_activity),
        sources.fan_activity[items],
    ]
    if sources.numeric is not None and sources.numeric.shape[1]:
        columns += list(sources.numeric[items].T)
    return rows, items, np.column_stack(columns).astype(np.float32)


class ClipdeckRanker:
    """Multi-source candidates re-scored by a LambdaMART ranker."""

    name = "clipdeck"

    def __init__(self, per_source: int = 100, seed: int = 0) -> None:
        self.per_source = per_source
        self.seed = seed

    def fit(self, train: sp.csr_matrix, split=None) -> ClipdeckRanker:
        import lightgbm

        inner, held = holdout(train, 0.2, self.seed)
        sources = Sources(inner, split, self.seed)
        users = np.flatnonzero(np.diff(held.indptr))
        rng = np.random.default_rng(self.seed)
        if len(users) > MAX_TRAIN_USERS:
            users = np.sort(rng.choice(users, MAX_TRAIN_USERS, replace=False))
        xs, ys, groups = [], [], []
        for start in range(0, len(users), BATCH):
            batch = users[start : start + BATCH]
            rows, items, x = candidate_features(sources, batch, self.per_source)
            labels = np.asarray(held[batch[rows], items]).ravel() > 0
            xs.append(x)
            ys.append(labels.astype(np.float32))
            groups += np.bincount(rows, minlength=len(batch)).tolist()
        dataset = lightgbm.Dataset(
            np.vstack(xs), np.concatenate(ys), group=[g for g in groups if g]
        )
        self.ranker = lightgbm.train({**RANKER, "seed": self.seed}, dataset, ROUNDS)
        self.sources = Sources(train, split, self.seed)
        return self

    def scores(self, users: np.ndarray) -> np.ndarray:
        rows, items, x = candidate_features(self.sources, users, self.per_source)
        out = np.full((len(users), self.sources.train.shape[1]), -1e9, dtype=np.float64)
        out += self.sources.popularity.counts[None, :] * 1e-6  # order outside the candidates
        out[rows, items] = self.ranker.predict(x)
        return out
