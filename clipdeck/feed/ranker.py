"""The ``Ranker`` protocol and the ranker the feed serves.

A ranker is fitted on feature rows (``features.FEATURES``) with one label
column per head, scores rows of candidates, and saves and loads itself in a
version folder. Training fits and saves the one the feed uses
(``HeadsRanker``), the artefacts load it, and ``ranking.page_scores`` scores every
page with it; ``tests/feed/test_ranker_contract.py`` holds every ranker to
the protocol.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from clipdeck.feed.features import FEATURES

HEADS = ("complete", "like", "share")
WEIGHTS = {"complete": 1.0, "like": 4.0, "share": 8.0}
INTEREST_BOOST = 0.6
MUTED_FACTOR = 0.1
PREDICT_THREADS = 1
FALLBACK_COLUMNS = {
    "complete": FEATURES.index("video_completion_rate"),
    "like": FEATURES.index("video_like_rate"),
    "share": FEATURES.index("video_share_rate"),
}
INTEREST_COLUMNS = [
    FEATURES.index(name)
    # hashtags stay a feature but not a multiplier: broad tags (#fyp, a category) are strong
    # interests of most viewers, and multiplying by them buried what the heads ranked first
    for name in ("viewer_creator_interest", "viewer_sound_interest")
]
LGBM = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.9,
    "verbose": -1,
    "seed": 0,
    "deterministic": True,
    "num_threads": 1,
}
ROUNDS = 150


@runtime_checkable
class Ranker(Protocol):
    """What training fits, the feed serves, and the contract test checks."""

    name: str

    def fit(self, x: np.ndarray, labels: dict[str, np.ndarray], users: np.ndarray) -> dict:
        """Learn from feature rows ``x`` and their labels; per-head metrics."""
        ...

    def score(self, rows: np.ndarray, muted: np.ndarray) -> np.ndarray:
        """One score per row, higher is better; ``muted`` rows are by muted creators."""
        ...

    def save(self, folder: Path) -> None:
        """Write the fitted model into ``folder`` (text files, no pickle)."""
        ...

    @classmethod
    def load(cls, folder: Path) -> Ranker:
        """The ranker saved in ``folder``."""
        ...


def _in_validation(users: np.ndarray) -> np.ndarray:
    return np.array([int(hashlib.sha256(str(u).encode()).hexdigest(), 16) % 5 == 0 for u in users])


class HeadsRanker:
    """Three LightGBM heads — P(complete), P(like), P(share) — with fixed weights.

    ``score = 1.0 x P(complete) + 4.0 x P(like) + 8.0 x P(share)``, multiplied
    by ``exp(0.6 x interest)`` (the viewer's interest in the creator and the
    sound; ``ranking.page_scores`` adds the short-term hashtag interest) and by
    0.1 for a muted creator. Before any training a head
    falls back to the video's smoothed rate, so a fresh install still ranks
    sensibly. A head whose training labels had one class only (nobody liked
    anything in the window, say) predicts that class's rate for every video:
    the smoothed rate would then carry only the prior, which shrinks with
    exposures and so favoured the least-watched videos.
    """

    name = "clipdeck_heads"

    def __init__(self, boosters: dict | None = None, constants: dict | None = None) -> None:
        self.boosters = dict(boosters or {})
        self.constants = dict(constants or {})

    def fit(self, x: np.ndarray, labels: dict[str, np.ndarray], users: np.ndarray) -> dict:
        """One head per label, validated on a fifth of the users (by hash); their metrics."""
        import lightgbm
        from sklearn.metrics import roc_auc_score

        held = _in_validation(users) if len(users) else np.zeros(0, dtype=bool)
        metrics = {}
        for head, column in labels.items():
            y = np.array(column)
            # with very few users the held-out fifth may take a whole class: then train on all
            valid = held if len(set(y[~held].tolist())) == 2 else np.zeros_like(held)
            train_y, valid_y = y[~valid], y[valid]
            if len(set(train_y.tolist())) < 2:
                metrics[head] = {"trained": False, "why": "one class only", "examples": len(y)}
                self.constants[head] = float(y.mean()) if len(y) else 0.0
                continue
            booster = lightgbm.train(
                LGBM,
                lightgbm.Dataset(x[~valid], train_y, feature_name=list(FEATURES)),
                num_boost_round=ROUNDS,
            )
            self.boosters[head] = booster
            auc = (
                round(float(roc_auc_score(valid_y, booster.predict(x[valid]))), 4)
                if len(set(valid_y.tolist())) == 2
                else None
            )
            metrics[head] = {
                "trained": True,
                "examples": len(y),
                "positive_rate": round(float(y.mean()), 4),
                "validation_auc": auc,
                "validation_users": len(set(users[valid].tolist())),
            }
        return metrics

    def predict(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """P(complete), P(like), P(share) per row: the trained head, its one class, or the fallback.

        Each head predicts the whole page in one call on one thread: a few
        hundred rows take well under a millisecond, while waking an OpenMP team
        on a busy machine can take several.
        """
        return {
            head: self.boosters[head].predict(rows, num_threads=PREDICT_THREADS)
            if head in self.boosters
            else np.full(rows.shape[0], self.constants[head])
            if head in self.constants
            else rows[:, FALLBACK_COLUMNS[head]]
            for head in HEADS
        }

    def score(self, rows: np.ndarray, muted: np.ndarray) -> np.ndarray:
        if rows.shape[0] == 0:
            return np.zeros(0)
        predictions = self.predict(rows)
        base = sum(WEIGHTS[head] * predictions[head] for head in HEADS)
        interest = rows[:, INTEREST_COLUMNS].sum(axis=1)
        return base * np.exp(INTEREST_BOOST * interest) * np.where(muted, MUTED_FACTOR, 1.0)

    def save(self, folder: Path) -> None:
        for head, booster in self.boosters.items():
            booster.save_model(str(Path(folder) / f"ranker_{head}.txt"))
        if self.constants:
            (Path(folder) / "ranker_constants.json").write_text(
                json.dumps(self.constants, sort_keys=True)
            )

    @classmethod
    def load(cls, folder: Path) -> HeadsRanker:
        import lightgbm

        constants = Path(folder) / "ranker_constants.json"
        return cls(
            {
                head: lightgbm.Booster(model_file=str(Path(folder) / f"ranker_{head}.txt"))
                for head in HEADS
                if (Path(folder) / f"ranker_{head}.txt").exists()
            },
            json.loads(constants.read_text()) if constants.exists() else {},
        )
