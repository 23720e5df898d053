"""Recall@K and NDCG@K with binary relevance, averaged over users with test items.

Recall@K = hits in the top K / number of the user's test items;
NDCG@K = DCG of the top K / the best DCG possible with min(K, test items) hits.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

KS = (10, 20, 50)


def evaluate(top: np.ndarray, test: sp.csr_matrix, ks=KS) -> dict[str, float]:
    """Metrics of ``top`` (users x max(ks) item indexes, best first) against ``test``."""
    discounts = 1.0 / np.log2(np.arange(2, max(ks) + 2))
    sums = {f"{name}@{k}": 0.0 for k in ks for name in ("recall", "ndcg")}
    counted = 0
    for user in range(test.shape[0]):
        relevant = set(test.indices[test.indptr[user] : test.indptr[user + 1]].tolist())
        if not relevant:
            continue
        counted += 1
        hits = np.array([item in relevant for item in top[user]], dtype=float)
        for k in ks:
            ideal = discounts[: min(k, len(relevant))].sum()
            sums[f"recall@{k}"] += hits[:k].sum() / len(relevant)
            sums[f"ndcg@{k}"] += (hits[:k] * discounts[:k]).sum() / ideal
    return {name: round(total / max(counted, 1), 4) for name, total in sums.items()} | {
        "users": counted
    }
