"""KuaiRand: what the standard log can choose, against what its random-exposure test rewards.

KuaiRand's published split trains on positives of the standard logs (videos
the platform's recommender chose to show) and tests on positives of random
exposure. This prints, for EASE at each λ of the tuned grid and for EASE
blended with popularity (``s / max_u |s| + w × log1p(count) / max log1p``,
the EASE score scaled per viewer), NDCG@20 twice: on an inner 80/20 split of
the training pairs (what any setting chosen without the test can see) and on
the test. It shows whether any setting chosen on the inner split, or any
setting at all of this family, reaches popularity on the test.

    .venv/bin/python benchmarks/kuairand_shift.py
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clipdeck.settings")

DATA = Path("/work/shared/data")
WEIGHTS = (0.0, 0.3, 1.0, 3.0, 10.0, 30.0)


class Blend:
    """EASE's scores scaled per viewer plus ``weight`` × log-popularity scaled to [0, 1]."""

    def __init__(self, ease, train, weight: float) -> None:
        counts = np.log1p(np.asarray((train > 0).sum(axis=0)).ravel().astype(np.float64))
        self.ease, self.popularity, self.weight = ease, counts / counts.max(), weight

    def scores(self, users: np.ndarray) -> np.ndarray:
        s = self.ease.scores(users)
        return s / (np.abs(s).max(axis=1, keepdims=True) + 1e-12) + self.weight * self.popularity


def table(train, test, lambdas) -> dict:
    """NDCG@20 on ``test`` of popularity and of each (λ, weight) blend fitted on ``train``."""
    from clipdeck.feed.evaluation.metrics import evaluate
    from clipdeck.feed.evaluation.models import EASE, Popularity, recommend

    def ndcg(model) -> float:
        return evaluate(recommend(model, train, 20), test, ks=(20,))["ndcg@20"]

    rows = {"popularity": ndcg(Popularity().fit(train))}
    for lam in lambdas:
        ease = EASE(regularization=lam).fit(train)
        for weight in WEIGHTS:
            rows[(lam, weight)] = ndcg(Blend(ease, train, weight))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=0, help="the inner split's seed")
    args = parser.parse_args()
    import django

    django.setup()
    from clipdeck.feed.cf import EASE_GRID
    from clipdeck.feed.evaluation import datasets
    from clipdeck.feed.evaluation.data import load_split
    from clipdeck.feed.evaluation.tuning import VALIDATION_SHARE, holdout

    with tempfile.TemporaryDirectory() as out:
        folder = Path(out)
        datasets.kuairand(args.data / "kuairand", folder)
        split = load_split(folder / "train.csv", folder / "test.csv")
    inner, held = holdout(split.train, VALIDATION_SHARE, args.seed)
    lambdas = [lam for lam in EASE_GRID if lam >= 200]
    validation = table(inner, held, lambdas)
    tested = table(split.train, split.test, lambdas)
    print("| model | inner split NDCG@20 | test NDCG@20 |")
    print("| --- | ---: | ---: |")
    for key in validation:
        name = key if isinstance(key, str) else f"EASE λ={key[0]} + {key[1]} × popularity"
        print(f"| {name} | {validation[key]:.4f} | {tested[key]:.4f} |")
    chosen = max((k for k in validation if k != "popularity"), key=validation.get)
    best = max((k for k in tested if k != "popularity"), key=tested.get)
    print(f"chosen on the inner split: {chosen}, test {tested[chosen]:.4f}")
    print(f"best blend on the test itself: {best}, test {tested[best]:.4f}")
    print(f"popularity on the test: {tested['popularity']:.4f}")


if __name__ == "__main__":
    main()
