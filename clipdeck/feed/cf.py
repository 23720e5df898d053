"""Collaborative filtering building blocks shared by training and offline evaluation.

``implicit``'s ALS over confidence-weighted implicit feedback, and cosine
item-to-item neighbours over who engaged with what.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class AlsParams:
    factors: int = 32
    regularization: float = 0.05
    alpha: float = 2.0
    iterations: int = 15
    seed: int = 0


def fit_als(user_items: sp.csr_matrix, params: AlsParams) -> tuple[np.ndarray, np.ndarray]:
    """User and item factors of ALS on ``user_items`` (users x items confidences)."""
    from implicit.cpu.als import AlternatingLeastSquares
    from threadpoolctl import threadpool_limits

    # One BLAS thread while implicit builds (it checks the pool then) and fits the
    # model: its own threads do the work, and a BLAS pool under them is slower.
    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(
            factors=params.factors,
            regularization=params.regularization,
            alpha=params.alpha,
            iterations=params.iterations,
            random_state=params.seed,
            num_threads=1,
        )
        model.fit(user_items.tocsr().astype(np.float32), show_progress=False)
    return np.asarray(model.user_factors), np.asarray(model.item_factors)


def cosine_similarity(user_items: sp.csr_matrix) -> sp.csr_matrix:
    """Item x item cosine similarity of binarised engagement, self-similarity removed."""
    binary = (user_items > 0).astype(np.float32).tocsc()
    norms = np.sqrt(np.asarray(binary.multiply(binary).sum(axis=0)).ravel())
    norms[norms == 0] = 1.0
    scaled = binary @ sp.diags(1.0 / norms)
    similarity = (scaled.T @ scaled).tocsr()
    similarity.setdiag(0)
    similarity.eliminate_zeros()
    return similarity


def top_k_rows(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Keep the ``k`` largest entries of each row."""
    matrix = matrix.tocsr()
    rows, cols, vals = [], [], []
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        if end == start:
            continue
        data, idx = matrix.data[start:end], matrix.indices[start:end]
        keep = np.argsort(-data)[:k]
        rows.extend([row] * len(keep))
        cols.extend(idx[keep])
        vals.extend(data[keep])
    return sp.csr_matrix((vals, (rows, cols)), shape=matrix.shape, dtype=np.float32)


@dataclass(frozen=True)
class EaseParams:
    """EASE over the ``max_items`` most-engaged videos, ``keep`` weights kept per video.

    The Gram matrix of ``max_items`` videos is dense (``max_items``² float32:
    256 MB at 8,000), so a large catalogue is limited to its most-engaged
    videos; the rest get no EASE score. Keeping the 200 largest weights per
    video loses nothing measurable (KuaiRec NDCG@20 0.2967 dense, 0.2982 kept,
    λ = 1000) and keeps the artefact small.
    """

    regularization: float = 1000.0
    max_items: int = 8000
    keep: int = 200


def fit_ease(user_items: sp.csr_matrix, params: EaseParams) -> sp.csr_matrix:
    """EASE item-to-item weights (Steck 2019), items x items, ``keep`` per row.

    ``B = -P / diag(P)`` with ``P = (XᵀX + λI)⁻¹`` over binarised engagement
    ``X`` of the most-engaged items; a viewer's score for video ``i`` is the
    sum of ``B[j, i]`` over the videos ``j`` they engaged with.
    """
    n_items = user_items.shape[1]
    binary = (user_items > 0).astype(np.float32).tocsc()
    degree = np.asarray(binary.sum(axis=0)).ravel()
    chosen = np.sort(np.argsort(-degree, kind="stable")[: params.max_items])
    chosen = chosen[degree[chosen] > 0]
    if len(chosen) < 2:
        return sp.csr_matrix((n_items, n_items), dtype=np.float32)
    sub = binary[:, chosen]
    gram = (sub.T @ sub).toarray().astype(np.float32)
    gram[np.diag_indices_from(gram)] += params.regularization
    precision = np.linalg.inv(gram)
    del gram
    weights = precision / -np.diag(precision)[None, :]
    del precision
    np.fill_diagonal(weights, -np.inf)  # a video is not its own recommendation
    keep = min(params.keep, len(chosen) - 1)
    top = np.argpartition(-weights, keep - 1, axis=1)[:, :keep]
    values = np.take_along_axis(weights, top, axis=1)
    rows = np.repeat(chosen, keep)
    matrix = sp.csr_matrix(
        (values.ravel(), (rows, chosen[top].ravel())), shape=(n_items, n_items), dtype=np.float32
    )
    matrix.eliminate_zeros()
    return matrix


# The regularisations tried for EASE: the same as the tuned EASE baseline's
# (``evaluation/tuning.py`` reads them from here).
EASE_GRID = (50.0, 200.0, 500.0, 1000.0, 3000.0)
EASE_VALIDATION_SHARE = 0.2
EASE_VALIDATION_AT = 20
EASE_MIN_VALIDATION_USERS = 50  # fewer viewers with held-out videos: keep the default λ
EASE_MAX_VALIDATION_USERS = 5000  # judged on a sample of them beyond this


def choose_ease(
    user_items: sp.csr_matrix,
    base: EaseParams | None = None,
    grid: tuple[float, ...] = EASE_GRID,
    seed: int = 0,
) -> tuple[EaseParams, dict]:
    """EASE's λ chosen on a random inner split of the engaged pairs; the params and the scores.

    A fifth of the engaged (viewer, video) pairs, drawn at random, is held out;
    EASE is fitted with each λ of ``grid`` on the rest, and the λ whose
    top-20 (engaged videos left out) has the best NDCG@20 on the held-out pairs
    wins: how the tuned EASE baseline chooses it. With too few viewers to judge
    by, ``base`` is kept.
    """
    base = base or EaseParams()
    binary = (user_items > 0).astype(np.float32).tocoo()
    rng = np.random.default_rng(seed)
    held = rng.random(binary.nnz) < EASE_VALIDATION_SHARE
    shape = user_items.shape
    kept = sp.csr_matrix((binary.data[~held], (binary.row[~held], binary.col[~held])), shape=shape)
    out = sp.csr_matrix((binary.data[held], (binary.row[held], binary.col[held])), shape=shape)
    users = np.flatnonzero(np.diff(out.indptr))
    if len(users) < EASE_MIN_VALIDATION_USERS:
        return base, {}
    if len(users) > EASE_MAX_VALIDATION_USERS:
        users = np.sort(rng.choice(users, EASE_MAX_VALIDATION_USERS, replace=False))
    scores = {}
    for regularization in grid:
        weights = fit_ease(kept, replace(base, regularization=float(regularization)))
        scores[float(regularization)] = _ndcg(kept, out, weights, users)
    best = max(scores, key=lambda value: scores[value])
    return replace(base, regularization=best), {
        "validation_ndcg@20": {repr(k): round(float(v), 4) for k, v in scores.items()}
    }


def _ndcg(kept: sp.csr_matrix, out: sp.csr_matrix, weights: sp.csr_matrix, users) -> float:
    """Mean NDCG@20 over ``users`` of EASE's top 20 (their ``kept`` videos left out).

    Only the videos EASE scores can rank (at most ``max_items``, the same for
    every λ), so the scores are computed over those columns alone: a dense
    viewers × catalogue block would not fit at a million videos.
    """
    columns = np.flatnonzero(np.diff(weights.tocsc().indptr))
    at = min(EASE_VALIDATION_AT, len(columns))
    if at == 0:
        return 0.0
    discounts = 1.0 / np.log2(np.arange(2, at + 2))
    weights, scored = weights[:, columns], kept[:, columns]
    total = 0.0
    for start in range(0, len(users), 1024):
        chunk = users[start : start + 1024]
        scores = (kept[chunk] @ weights).toarray()
        seen = scored[chunk].tocoo()
        scores[seen.row, seen.col] = -np.inf
        top = np.argpartition(-scores, at - 1, axis=1)[:, :at]
        order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
        top = columns[np.take_along_axis(top, order, axis=1)]
        for row, user in enumerate(chunk):
            relevant = out.indices[out.indptr[user] : out.indptr[user + 1]]
            hits = np.isin(top[row], relevant).astype(float)
            total += (hits * discounts).sum() / discounts[: min(at, len(relevant))].sum()
    return total / len(users)
