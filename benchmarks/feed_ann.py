"""Collaborative top-k: the HNSW graph built at training against brute force, same run.

Reads the current trained version of ``--data-dir`` (``clipdeck bench seed``
writes one), times ``ann.top_rows`` for 200 viewer-like vectors (the mean of
8 random videos' factors) both ways, and prints the overlap of their top 50.

    .venv/bin/python benchmarks/feed_ann.py --data-dir /tmp/b100k --wanted 60
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clipdeck.feed import ann


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--wanted", type=int, default=60)
    args = parser.parse_args()
    recsys = args.data_dir / "recsys"
    folder = recsys / (recsys / "current").read_text().strip()
    factors = np.load(folder / "items.npz")["factors"]
    graph = ann.load(folder)
    if graph is None:
        sys.exit(f"{folder} has no HNSW graph (fewer than {ann.MIN_ITEMS} trained videos)")
    rng = np.random.default_rng(0)
    vectors = [factors[rng.integers(0, len(factors), 8)].mean(axis=0) for _ in range(200)]
    for name, used in (("brute force", None), ("HNSW", graph)) * 2:
        started = time.perf_counter()
        for vector in vectors:
            ann.top_rows(factors, vector, args.wanted, used)
        each = (time.perf_counter() - started) / len(vectors) * 1000
        print(f"{name:12s} {len(factors):>9,} videos, top {args.wanted}: {each:6.2f} ms")
    overlap = np.mean(
        [
            len(
                set(ann.top_rows(factors, v, 50).tolist())
                & set(ann.top_rows(factors, v, 50, graph).tolist())
            )
            / 50
            for v in vectors
        ]
    )
    print(f"overlap of the top 50 with brute force: {overlap:.3f}")


if __name__ == "__main__":
    main()
