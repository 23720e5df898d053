"""Reading evaluation CSVs: ``user_id,item_id[,weight]`` pairs and optional item features.

The items file has an ``item_id`` column; a ``tags`` column holds
``|``-separated labels (hashtags, categories), and every other column is read
as a number (missing or non-numeric values become 0).
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp


@dataclass
class Split:
    """Train and test matrices over shared user and item indexes."""

    train: sp.csr_matrix
    test: sp.csr_matrix
    users: list[str]
    items: list[str]
    tags: sp.csr_matrix | None = None  # items x tags, binary
    numeric: np.ndarray | None = None  # items x numeric features
    numeric_names: tuple[str, ...] = ()


def _open(path: Path):
    path = Path(path)
    return gzip.open(path, "rt") if path.suffix == ".gz" else path.open()


def read_pairs(path: Path) -> list[tuple[str, str, float]]:
    with _open(path) as handle:
        reader = csv.DictReader(handle)
        return [(row["user_id"], row["item_id"], float(row.get("weight") or 1.0)) for row in reader]


def _matrix(pairs, users: dict, items: dict) -> sp.csr_matrix:
    kept = [(users[u], items[i], w) for u, i, w in pairs if u in users and i in items]
    rows, cols, vals = zip(*kept, strict=True) if kept else ((), (), ())
    matrix = sp.csr_matrix((vals, (rows, cols)), shape=(len(users), len(items)), dtype=np.float32)
    matrix.sum_duplicates()
    return matrix


def _number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _item_features(path: Path, items: dict) -> tuple[sp.csr_matrix, np.ndarray, tuple]:
    with _open(path) as handle:
        rows = list(csv.DictReader(handle))
    names = tuple(k for k in (rows[0] if rows else {}) if k not in ("item_id", "tags"))
    tag_index: dict[str, int] = {}
    tag_rows, tag_cols = [], []
    numeric = np.zeros((len(items), len(names)), dtype=np.float32)
    for row in rows:
        item = items.get(row["item_id"])
        if item is None:
            continue
        for tag in filter(None, (row.get("tags") or "").split("|")):
            tag_rows.append(item)
            tag_cols.append(tag_index.setdefault(tag, len(tag_index)))
        numeric[item] = [_number(row[name]) for name in names]
    tags = sp.csr_matrix(
        (np.ones(len(tag_rows), dtype=np.float32), (tag_rows, tag_cols)),
        shape=(len(items), max(len(tag_index), 1)),
    )
    return tags, numeric, names


def load_split(train: Path, test: Path, items: Path | None = None) -> Split:
    """The split, indexed over the train users and the items of train, test and ``items``."""
    train_pairs, test_pairs = read_pairs(train), read_pairs(test)
    user_ids = sorted({u for u, _, _ in train_pairs})
    item_ids = sorted({i for _, i, _ in train_pairs} | {i for _, i, _ in test_pairs})
    if items is not None:
        with _open(items) as handle:
            item_ids = sorted(set(item_ids) | {row["item_id"] for row in csv.DictReader(handle)})
    users = {u: n for n, u in enumerate(user_ids)}
    index = {i: n for n, i in enumerate(item_ids)}
    split = Split(
        train=_matrix(train_pairs, users, index),
        test=_matrix(test_pairs, users, index),
        users=user_ids,
        items=item_ids,
    )
    if items is not None:
        split.tags, split.numeric, split.numeric_names = _item_features(items, index)
    return split
