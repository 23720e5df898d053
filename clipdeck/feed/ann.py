"""Approximate nearest neighbours over the ALS item factors: a usearch HNSW graph built at training.

The collaborative source asks for the videos whose factors have the largest
dot product with the viewer's vector. Brute force costs a pass over every
video's factors per page (12-15 ms at a million videos); the HNSW graph
answers in about a millisecond. The graph proposes ``EXTRA`` more videos
than needed and the exact dot product orders them, so the scores the ranker
sees are exact. Small catalogues (under ``MIN_ITEMS``) keep brute
force, which is exact and as fast there.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

FILENAME = "items.usearch"
MIN_ITEMS = 20_000
EXTRA = 100  # the graph proposes this many videos beyond those wanted
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 128


def build(item_factors: np.ndarray, folder: Path, *, min_items: int = MIN_ITEMS) -> bool:
    """Write the graph of ``item_factors`` into ``folder``; False when the catalogue is small."""
    if len(item_factors) < max(min_items, 1):
        return False
    from usearch.index import Index

    index = Index(
        ndim=item_factors.shape[1],
        metric="ip",
        dtype="f32",
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD,
        expansion_search=EXPANSION_SEARCH,
    )
    index.add(
        np.arange(len(item_factors), dtype=np.uint64),
        item_factors.astype(np.float32),
        threads=os.cpu_count() or 1,  # training time; the build is the slowest part at 1M
    )
    index.save(str(folder / FILENAME))
    return True


def load(folder: Path):
    """The saved graph, memory-mapped (shared between processes), or None."""
    path = folder / FILENAME
    if not path.exists():
        return None
    from usearch.index import Index

    return Index.restore(str(path), view=True)


def top_rows(item_factors: np.ndarray, vector: np.ndarray, count: int, graph=None) -> np.ndarray:
    """Rows of the ``count`` videos with the largest ``factors @ vector``, best first."""
    count = min(count, len(item_factors))
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    if graph is not None:
        found = graph.search(vector, count + EXTRA, threads=1)
        rows = np.asarray(found.keys, dtype=np.int64)
    else:
        rows = np.arange(len(item_factors))
    scores = item_factors[rows] @ vector
    if count < len(rows):
        best = np.argpartition(-scores, count - 1)[:count]
    else:
        best = np.arange(len(rows))
    return rows[best[np.argsort(-scores[best])]]
