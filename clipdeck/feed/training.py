"""``clipdeck recsys train``: fit ALS, co-engagement neighbours, EASE and the LightGBM rankers.

The result is a version folder named by its content hash with a model card
(data window, features, metrics) beside the models; see ``artefacts``.
``train`` reads the event log from the database and hands it to
``train_on_log``, which does all the fitting and saving: ``clipdeck recsys
evaluate`` calls the same ``train_on_log`` on a dataset's log
(``evaluation/production.py``), so what it measures is what serves.
"""

from __future__ import annotations

import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from importlib.metadata import version as package_version
from pathlib import Path

import numpy as np
from django.db import connection
from django.utils import timezone

from clipdeck.accounts.models import Follow
from clipdeck.feed import ann, artefacts, listwise, training_data
from clipdeck.feed.affinity import Affinity, affinity
from clipdeck.feed.cf import (
    AlsParams,
    EaseParams,
    choose_ease,
    cosine_similarity,
    fit_als,
    fit_ease,
    top_k_rows,
)
from clipdeck.feed.context import ViewerContext
from clipdeck.feed.features import FEATURES, feature_row
from clipdeck.feed.models import Event, VideoStats
from clipdeck.feed.ranker import (
    EASE_PRIOR,
    LGBM,
    LISTWISE,
    ORDER_ROUNDS,
    ROUNDS,
    WEIGHTS,
    HeadsRanker,
    Lessons,
)
from clipdeck.videos.models import Like, Video

NEIGHBOURS = 30
HOLDOUT_SHARE = 0.8  # features before this point of the window, labels after it


def fit_collaborative(
    rows, items: list[str], params: AlsParams, ease_params: EaseParams | None = None
) -> artefacts.Artefacts:
    """ALS item factors, cosine neighbours and EASE weights for ``items`` from ``rows``."""
    matrix, _ = training_data.interactions(rows, items)
    if matrix.shape[0] >= 2 and matrix.nnz:
        _, item_factors = fit_als(matrix, params)
    else:
        item_factors = np.zeros((len(items), params.factors), dtype=np.float32)
    neighbours = top_k_rows(cosine_similarity(matrix), NEIGHBOURS)
    ease = fit_ease(matrix, ease_params or EaseParams())
    return artefacts.Artefacts(
        version="",
        item_ids=items,
        item_factors=item_factors.astype(np.float32),
        neighbour_ptr=neighbours.indptr,
        neighbour_idx=neighbours.indices,
        neighbour_score=neighbours.data.astype(np.float32),
        ease_ptr=ease.indptr,
        ease_idx=ease.indices,
        ease_score=ease.data.astype(np.float32),
    )


@dataclass
class Examples:
    """What the ranker learns from: the log's impressions and each viewer's candidate list."""

    x: np.ndarray  # one row per impression after the cut-off
    labels: dict[str, list[int]]
    users: np.ndarray
    lists: listwise.Lists
    cutoff: datetime


def examples(
    log: training_data.Log, params: AlsParams, ease_params: EaseParams | None = None
) -> Examples:
    """The impressions after the label cut-off and the viewers' candidate lists, featurised.

    Everything the features read (interests, counters, the collaborative
    models) is taken from the events before the cut-off; the labels from
    those after it.
    """
    cutoff = log.start + (log.end - log.start) * HOLDOUT_SHARE
    before = [row for row in log.rows if row.at < cutoff]
    after = [row for row in log.rows if row.at >= cutoff]
    cf = fit_collaborative(before, sorted(log.videos), params, ease_params)
    contexts = training_data.contexts_at(before, log.videos, log.following)
    facts = training_data.facts_at(before, log.videos, cutoff)
    labelled = training_data.labelled_pairs(after)
    features, labels, users = [], {head: [] for head in WEIGHTS}, []
    per_user: dict[int, Affinity] = {}
    for user, video, label in labelled:
        if video not in facts:
            continue
        context = contexts.get(user) or ViewerContext(
            personalized=True, following=set(log.following.get(user, ()))
        )
        if user not in per_user:
            per_user[user] = affinity(context, cf)
        features.append(feature_row(context, facts[video], *per_user[user].scores(video)))
        for head in WEIGHTS:
            labels[head].append(label[head])
        users.append(user)
    seen: dict[int, set[str]] = {}
    for row in before:
        seen.setdefault(row.user, set()).add(row.video)
    return Examples(
        x=np.array(features).reshape(-1, len(FEATURES)),
        labels=labels,
        users=np.array(users),
        lists=listwise.build(contexts, seen, labelled, cf, facts),
        cutoff=cutoff,
    )


def fit_rankers(found: Examples, folder: Path) -> dict:
    """Fit the served ranker on the examples and save it into ``folder``; its metrics."""
    ranker = HeadsRanker()
    labels = {head: np.array(column) for head, column in found.labels.items()}
    metrics = ranker.fit(Lessons(found.x, labels, found.users, found.lists))
    ranker.save(folder)
    return metrics


def _save_items(folder: Path, cf: artefacts.Artefacts) -> None:
    import json

    (folder / "item_ids.json").write_text(json.dumps(cf.item_ids))
    np.savez(
        folder / "items.npz",
        factors=cf.item_factors,
        nptr=cf.neighbour_ptr,
        nidx=cf.neighbour_idx,
        nscore=cf.neighbour_score,
        eptr=cf.ease_ptr,
        eidx=cf.ease_idx,
        escore=cf.ease_score,
    )
    ann.build(cf.item_factors, folder)


def train(*, days: int = 90, now: datetime | None = None, params: AlsParams | None = None) -> dict:
    """Train on the last ``days`` of the event log; the model card of the new version."""
    now = now or timezone.now()
    log = training_data.load_log(now - timedelta(days=days))
    if not log.rows:
        raise ValueError("The event log is empty; there is nothing to train on.")
    card = train_on_log(log, days=days, params=params)
    refresh_planner_statistics()
    return card


def train_on_log(
    log: training_data.Log,
    *,
    days: int,
    params: AlsParams | None = None,
    ease_params: EaseParams | None = None,
) -> dict:
    """Fit every model of a version on ``log``, save it and make it current; its card.

    Without ``ease_params``, EASE's λ is chosen on a random inner split of the
    log's engaged pairs (``cf.choose_ease``) and used at the cut-off and for
    the served weights alike.
    """
    params = params or AlsParams()
    ease_chosen: dict = {}
    if ease_params is None:
        matrix, _ = training_data.interactions(log.rows, sorted(log.videos))
        ease_params, ease_chosen = choose_ease(matrix)
    artefacts.recsys_dir().mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".staging-", dir=artefacts.recsys_dir()))
    found = examples(log, params, ease_params)
    metrics = fit_rankers(found, folder)
    _save_items(folder, fit_collaborative(log.rows, sorted(log.videos), params, ease_params))
    card = {
        "data_window": {
            "from": log.start.isoformat(),
            "to": log.end.isoformat(),
            "label_cutoff": found.cutoff.isoformat(),
            "days": days,
        },
        "counts": {
            "signals": len(log.rows),
            "users": len({row.user for row in log.rows}),
            "videos": len(log.videos),
            "ranker_examples": int(found.x.shape[0]),
            "ranker_lists": found.lists.count,
            "ranker_list_rows": int(found.lists.x.shape[0]),
        },
        "features": list(FEATURES),
        "metrics": metrics,
        "score_weights": WEIGHTS,
        "als": asdict(params),
        "neighbours_per_video": NEIGHBOURS,
        "ease": {**asdict(ease_params), **ease_chosen},
        "ann": {
            "library": "usearch HNSW, inner product",
            "built": len(log.videos) >= ann.MIN_ITEMS,
            "connectivity": ann.CONNECTIVITY,
            "expansion_add": ann.EXPANSION_ADD,
            "expansion_search": ann.EXPANSION_SEARCH,
        },
        "lightgbm": {**LGBM, "rounds": ROUNDS},
        "lightgbm_listwise": {**LISTWISE, "rounds": ORDER_ROUNDS, "ease_prior": EASE_PRIOR},
        "libraries": {
            name: package_version(name) for name in ("implicit", "lightgbm", "numpy", "usearch")
        },
        "contains_user_ids": False,
    }
    version = artefacts.save(folder, card)
    return {**card, "version": version}


def refresh_planner_statistics() -> None:
    """Let SQLite's planner know the tables' sizes (``ANALYZE`` of the feed's tables).

    Without statistics SQLite answers the feed's "these candidates, if visible"
    query by scanning every published video instead of looking the candidates
    up by id, so a page costs more the larger the catalogue. PostgreSQL keeps
    its statistics itself (autovacuum), so this does nothing there.
    """
    if connection.vendor != "sqlite":
        return
    models = (Video, Video.hashtags.through, Event, VideoStats, Follow, Like)
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
