"""The served recommender, offline: the feed's own training and serving code on a dataset.

Nothing here ranks: it turns a split into what the feed reads and calls the
feed's functions.

Training (``fit``): the training pairs become a feed event log
(``training_data.Log``). Every pair is a view watched to the end twice over
(KuaiRec's positives are watch ratios above 2) at a random moment of a 30-day
window. A log of positives alone has no impressions, and the ranker's heads
learn P(complete | shown), so for each user three times as many videos as they
have training pairs are logged as shown and skipped: drawn from the catalogue
minus those pairs with a chance proportional to the square root of a video's
number of training pairs, since a feed shows popular videos more often (test
items may be drawn, like any other; uniform draws, or one per positive, made
the heads worse: see ``docs/benchmarks.md``). Videos carry the dataset's tags as
hashtags; each is its own creator; there are no sounds, follows, durations or
likes. Then ``training.train_on_log``, the function behind ``clipdeck recsys
train``, fits ALS, the co-engagement neighbours, EASE and the ``HeadsRanker``
and saves a version into a scratch folder, which ``artefacts.load_current``
loads as a web process does.

Serving (``scores``): each test user's context is folded from the whole log by
``training_data.contexts_at`` (``tests/feed/test_feature_parity.py`` checks it
gives the features serving gives). The candidates come from
``listwise.candidates``, the served sources that need no database:
``collaborative``, ``ease``, ``coengagement`` (trained neighbours) and
``trending`` (its ``hot_score`` over the log's counters), 50 each as on a
page: the lists the ranker's list-wise head learned from at the cut-off.
They are scored by ``pipeline.feature_rows`` and ``ranking.page_scores``, the
page's own calls, and ranked above every other video, which follows in
trending order. Sources that need a database or data the datasets lack
(following, hashtags, sounds, fresh, exploration) are left out, and so is the
re-ranker's diversity, which is not part of the ranking.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from django.test import override_settings

from clipdeck.feed import artefacts as trained
from clipdeck.feed import listwise, pipeline, ranking, training, training_data
from clipdeck.feed.context import ViewerContext
from clipdeck.feed.models import EventKind
from clipdeck.feed.sources.trending import hot_score

WINDOW_DAYS = 30
START = datetime(2025, 1, 1, tzinfo=UTC)
POSITIVE_COMPLETION = 2.0
NEGATIVES_PER_POSITIVE = 3.0
NEGATIVE_POWER = 0.5  # a video is shown (and skipped) in proportion to popularity ** 0.5


class ProductionFeed:
    """The For You model as it serves, trained by the code that trains it."""

    name = "clipdeck_production"

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.described: dict = {}

    def fit(self, train: sp.csr_matrix, split=None) -> ProductionFeed:
        """Train the production model on ``train`` through ``training.train_on_log``."""
        self.train = (train > 0).tocsr()
        self.item_ids = list(split.items) if split is not None else _names(train.shape[1])
        self.column = {item: col for col, item in enumerate(self.item_ids)}
        log = event_log(self.train, self.item_ids, _tags(split), self.seed)
        self._folder = tempfile.TemporaryDirectory(prefix="clipdeck-eval-")
        with override_settings(CLIPDECK_RECSYS_DIR=Path(self._folder.name)):
            card = training.train_on_log(log, days=WINDOW_DAYS)
            self.artefacts = trained.load_current()
        self.contexts = training_data.contexts_at(log.rows, log.videos, log.following)
        self.facts = training_data.facts_at(log.rows, log.videos, log.end)
        self.trending = _trending(self.facts)
        self.hottest = listwise.trending_order(self.facts)
        self.described = {
            "trained_by": f"{training.train_on_log.__module__}.{training.train_on_log.__name__}",
            "ranker": f"{type(self.artefacts.ranker).__module__}."
            f"{type(self.artefacts.ranker).__name__}",
            "version": card["version"],
            "heads": card["metrics"],
            "examples": card["counts"]["ranker_examples"],
            "sources": list(listwise.SOURCES),
            "orders_by": "list-wise head" if listwise_serves(self.artefacts) else "binary heads",
        }
        return self

    def scores(self, users: np.ndarray) -> np.ndarray:
        """Users x items: the served score of each candidate, then trending order for the rest."""
        out = np.tile(self.trending, (len(users), 1))
        for row, user in enumerate(users):
            for item, score in self.page_scores(int(user)).items():
                out[row, self.column[item]] = 1.0 + score
        return out

    def page_scores(self, user: int) -> dict[str, float]:
        """The served score of each of ``user``'s candidates (their training items left out)."""
        context = self.contexts.get(user) or ViewerContext(personalized=True)
        exclude = {self.item_ids[col] for col in self.train[user].indices}
        found = listwise.candidates(context, self.artefacts, self.hottest, exclude)
        facts = {c.video_id: self.facts[c.video_id] for c in found if c.video_id in self.facts}
        if not facts:
            return {}
        rows = pipeline.feature_rows(context, facts, self.artefacts)
        served = ranking.page_scores(context, facts, rows, self.artefacts)
        return dict(zip(facts, served.tolist(), strict=True))


def event_log(
    train: sp.csr_matrix, item_ids: list[str], tags: dict[str, list[str]], seed: int
) -> training_data.Log:
    """The training pairs as a feed event log, with sampled shown-and-skipped videos."""
    rng = np.random.default_rng(seed)
    window = WINDOW_DAYS * 86400
    rows = []
    n_items = train.shape[1]
    shown = np.asarray(train.sum(axis=0)).ravel().astype(np.float64) ** NEGATIVE_POWER + 1e-9
    for user in range(train.shape[0]):
        liked = train.indices[train.indptr[user] : train.indptr[user + 1]]
        pool = np.setdiff1d(np.arange(n_items), liked)
        wanted = min(len(pool), round(len(liked) * NEGATIVES_PER_POSITIVE))
        chance = shown[pool] / shown[pool].sum()
        skipped = rng.choice(pool, wanted, replace=False, p=chance) if wanted else []
        moments = rng.random(len(liked) + wanted) * window
        kinds = [(col, EventKind.VIEW, POSITIVE_COMPLETION) for col in liked]
        kinds += [(col, EventKind.SKIP, 0.0) for col in skipped]
        for (col, kind, completion), second in zip(kinds, moments, strict=True):
            at = START + timedelta(seconds=float(second))
            rows.append(training_data.Row(user, item_ids[col], int(kind), completion, at))
    rows.sort(key=lambda row: row.at)
    videos = {
        item: {
            "author": f"creator-{item}",
            "sound": None,
            "tags": tags.get(item, []),
            "duration": 0,
            "published": None,
            "followers": 0,
        }
        for item in item_ids
    }
    return training_data.Log(rows=rows, videos=videos, following={})


def _trending(facts: dict) -> np.ndarray:
    """Every video's ``trending.hot_score`` from the log's counters, in column order."""
    return (
        np.array(
            [
                hot_score(
                    exposures=f.exposures,
                    completions=f.completions,
                    likes=f.likes,
                    shares=f.shares,
                    age_hours=f.age_hours,
                )
                for f in facts.values()
            ]
        )
        / 1e9
        - 1.0
    )  # below every candidate's 1 + score, in the same order


def listwise_serves(artefacts) -> bool:
    """Whether the trained version's list-wise head orders the page."""
    from clipdeck.feed.ranker import ORDER

    return ORDER in artefacts.ranker.boosters


def _tags(split) -> dict[str, list[str]]:
    if split is None or split.tags is None:
        return {}
    names: dict[str, list[str]] = {}
    coo = split.tags.tocoo()
    for item, tag in zip(coo.row, coo.col, strict=True):
        names.setdefault(split.items[item], []).append(f"tag{tag}")
    return names


def _names(n: int) -> list[str]:
    return [str(i) for i in range(n)]
