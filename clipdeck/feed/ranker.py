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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from clipdeck.feed.features import FEATURES

if TYPE_CHECKING:
    from clipdeck.feed.listwise import Lists

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
ORDER = "order"  # the list-wise head
LISTWISE = {
    "objective": "lambdarank",
    "lambdarank_truncation_level": 30,
    "learning_rate": 0.02,
    "num_leaves": 7,
    "min_data_in_leaf": 200,
    "feature_fraction": 0.9,
    "verbose": -1,
    "seed": 0,
    "deterministic": True,
    "num_threads": 1,
}
ORDER_ROUNDS = 50
# The list-wise head boosts from ``EASE_PRIOR x ease_score`` and learns corrections to it:
# trained freely it overfitted the lists drawn at the cut-off, where EASE (fitted on less
# of the log) is weaker than when serving (docs/benchmarks.md).
EASE_PRIOR = 10.0
EASE_COLUMN = FEATURES.index("ease_score")
MIN_LISTS = 20  # fewer viewers with a relevant candidate: the heads order the page
ORDER_AT = 20  # the list-wise head is validated by NDCG at this depth


@dataclass
class Lessons:
    """What a ranker learns from: impressions ``x`` with one label column per head, the
    viewer of each row, and the viewers' candidate ``lists`` when there are any."""

    x: np.ndarray
    labels: dict[str, np.ndarray]
    users: np.ndarray
    lists: Lists | None = None


@runtime_checkable
class Ranker(Protocol):
    """What training fits, the feed serves, and the contract test checks."""

    name: str

    def fit(self, lessons: Lessons) -> dict:
        """Learn from ``lessons``; the metrics of the fit."""
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
    """A list-wise LightGBM head over three binary ones — P(complete), P(like), P(share).

    The list-wise head (LambdaMART, ``listwise``) learns the page's own task:
    ordering a viewer's candidates by what they did next, as corrections to
    ``10 x ease_score`` (boosted from it). It orders the page,
    ``base = exp(10 x ease_score + trees)``, when it was trained and ordered the held-out
    viewers' lists better (NDCG@20) than the binary heads' weighted sum,
    ``base = 1.0 x P(complete) + 4.0 x P(like) + 8.0 x P(share)``, which
    otherwise orders it. Either base is multiplied
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

    def fit(self, lessons: Lessons) -> dict:
        """One head per label and the list-wise one, validated on a fifth of the users (by hash)."""
        import lightgbm
        from sklearn.metrics import roc_auc_score

        x, labels, users, lists = lessons.x, lessons.labels, lessons.users, lessons.lists
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
        if lists is not None:
            metrics[ORDER] = self._fit_order(lists)
        return metrics

    def _fit_order(self, lists: Lists) -> dict:
        """Train the list-wise head; keep it only if it orders held-out lists better."""
        import lightgbm

        if lists.count < MIN_LISTS:
            return {"trained": False, "why": f"fewer than {MIN_LISTS} lists", "lists": lists.count}
        held = _in_validation(lists.users)
        row_held = np.repeat(held, lists.sizes)
        train = lists.x[~row_held]
        booster = lightgbm.train(
            LISTWISE,
            lightgbm.Dataset(
                train,
                lists.relevance[~row_held],
                group=lists.sizes[~held],
                init_score=EASE_PRIOR * train[:, EASE_COLUMN],
                feature_name=list(FEATURES),
            ),
            num_boost_round=ORDER_ROUNDS,
        )
        rows, relevance, sizes = lists.x[row_held], lists.relevance[row_held], lists.sizes[held]
        muted = np.zeros(len(rows), dtype=bool)
        heads = ndcg(self.score(rows, muted), relevance, sizes)
        order = ndcg(_order_scores(booster, rows), relevance, sizes)
        serves = bool(held.any()) and order >= heads
        if serves:
            self.boosters[ORDER] = booster
        return {
            "trained": True,
            "lists": int(lists.count),
            "rows": len(lists.x),
            "validation_lists": int(held.sum()),
            f"validation_ndcg@{ORDER_AT}": round(order, 4),
            f"heads_validation_ndcg@{ORDER_AT}": round(heads, 4),
            "serves": serves,
        }

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
        if ORDER in self.boosters:
            order = _order_scores(self.boosters[ORDER], rows)
            base = np.exp(np.clip(order, -30.0, 30.0))
        else:
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
                for head in (*HEADS, ORDER)
                if (Path(folder) / f"ranker_{head}.txt").exists()
            },
            json.loads(constants.read_text()) if constants.exists() else {},
        )


def _order_scores(booster, rows: np.ndarray) -> np.ndarray:
    """The list-wise head's score: the EASE prior plus what the trees learned on top of it."""
    return EASE_PRIOR * rows[:, EASE_COLUMN] + booster.predict(rows, num_threads=PREDICT_THREADS)


def ndcg(scores: np.ndarray, relevance: np.ndarray, sizes: np.ndarray, at: int = ORDER_AT) -> float:
    """Mean NDCG@``at`` (gain ``2**relevance - 1``) of consecutive lists of ``sizes`` rows."""
    values = []
    start = 0
    discount = 1.0 / np.log2(np.arange(2, at + 2))
    for size in sizes.tolist():
        gains = 2.0 ** relevance[start : start + size] - 1.0
        order = np.argsort(-scores[start : start + size], kind="stable")[:at]
        ideal = np.sort(gains)[::-1][:at]
        best = float((ideal * discount[: len(ideal)]).sum())
        if best > 0:
            values.append(float((gains[order] * discount[: len(order)]).sum()) / best)
        start += size
    return float(np.mean(values)) if values else 0.0
