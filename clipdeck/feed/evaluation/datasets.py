"""Writing the shared KuaiRec and KuaiRand data as evaluation CSVs.

KuaiRec: the positives (watch_ratio > 2) of the fully observed small matrix,
split per user 80/20 at random (the protocol of its README); items carry their
categories as ``tags``. KuaiRand: the third-party split as published (train vs
test_id).
"""

from __future__ import annotations

import ast
import csv
import gzip
from collections import defaultdict
from pathlib import Path

import numpy as np


def _write(path: Path, header: list[str], rows) -> int:
    count = 0
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def kuairec(source: Path, out: Path, seed: int) -> dict[str, int]:
    """train.csv, test.csv and items.csv from KuaiRec's small matrix positives."""
    out.mkdir(parents=True, exist_ok=True)
    by_user = defaultdict(list)
    with gzip.open(source / "small_matrix_positives_wr_gt2.csv.gz", "rt") as handle:
        for row in csv.DictReader(handle):
            by_user[row["user_id"]].append(row["video_id"])
    rng = np.random.default_rng(seed)
    train, test = [], []
    for user in sorted(by_user, key=int):
        items = sorted(by_user[user], key=int)
        held = rng.random(len(items)) < 0.2
        train += [(user, item) for item, h in zip(items, held, strict=True) if not h]
        test += [(user, item) for item, h in zip(items, held, strict=True) if h]
    with gzip.open(source / "small_matrix_video_ids.csv.gz", "rt") as handle:
        candidates = {row["video_id"] for row in csv.DictReader(handle)}
    with gzip.open(source / "item_categories.csv.gz", "rt") as handle:
        tags = {
            row["video_id"]: "|".join(str(t) for t in ast.literal_eval(row["feat"]))
            for row in csv.DictReader(handle)
            if row["video_id"] in candidates
        }
    return {
        "train": _write(out / "train.csv", ["user_id", "item_id"], train),
        "test": _write(out / "test.csv", ["user_id", "item_id"], test),
        "items": _write(out / "items.csv", ["item_id", "tags"], sorted(tags.items())),
    }


def _lines(path: Path):
    with gzip.open(path, "rt") as handle:
        for line in handle:
            user, *items = line.split()
            yield from ((user, item) for item in items)


def kuairand(source: Path, out: Path) -> dict[str, int]:
    """train.csv and test.csv from the published KuaiRand split (ids re-indexed there)."""
    out.mkdir(parents=True, exist_ok=True)
    split = source / "cf_rec_split"
    return {
        "train": _write(out / "train.csv", ["user_id", "item_id"], _lines(split / "train.txt.gz")),
        "test": _write(out / "test.csv", ["user_id", "item_id"], _lines(split / "test_id.txt.gz")),
    }
