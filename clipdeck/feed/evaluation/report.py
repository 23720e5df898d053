"""Running every model on one split and reporting the figures as a table or JSON."""

from __future__ import annotations

import time

from clipdeck.feed.evaluation.data import Split
from clipdeck.feed.evaluation.metrics import KS, evaluate
from clipdeck.feed.evaluation.models import Popularity, recommend
from clipdeck.feed.evaluation.production import ProductionFeed
from clipdeck.feed.evaluation.tuning import Tuned, grids


def default_models(seed: int = 0) -> list:
    """Popularity, the four tuned baselines, and the production model (``production.py``)."""
    tuned = [Tuned(name, candidates, seed) for name, candidates in grids(seed).items()]
    return [Popularity(), *tuned, ProductionFeed(seed=seed)]


def run(split: Split, models: list | None = None, seed: int = 0) -> dict:
    """Recall@K and NDCG@K of each model on ``split``, with fit and scoring times."""
    results = {}
    for model in models or default_models(seed):
        started = time.perf_counter()
        model.fit(split.train, split)
        fitted = time.perf_counter()
        top = recommend(model, split.train, max(KS))
        results[model.name] = {
            **evaluate(top, split.test),
            "fit_s": round(fitted - started, 2),
            "recommend_s": round(time.perf_counter() - fitted, 2),
            **({"tuned": model.chosen} if getattr(model, "chosen", None) else {}),
            **({"production": model.described} if getattr(model, "described", None) else {}),
        }
    return {
        "users": len(split.users),
        "items": len(split.items),
        "train_pairs": int(split.train.nnz),
        "test_pairs": int(split.test.nnz),
        "seed": seed,
        "models": results,
        "note": NOTE,
    }


NOTE = (
    "'clipdeck_production' is the production model: trained by the code of `clipdeck recsys "
    "train` (feed.training.train_on_log), scored by the served ranker (feed.ranker.HeadsRanker: "
    "a list-wise LambdaMART head over three binary LightGBM heads) on the features the feed "
    "computes (feed.pipeline.feature_rows), over "
    "the served candidate sources collaborative, ease, coengagement and trending; "
    "baselines are tuned on an inner validation split of the training pairs."
)


def table(report: dict) -> str:
    """The report as a Markdown table."""
    columns = [f"{m}@{k}" for m in ("recall", "ndcg") for k in KS]
    lines = [
        "| model | " + " | ".join(columns) + " | fit s |",
        "| --- | " + " | ".join("---:" for _ in columns) + " | ---: |",
    ]
    described = []
    for name, figures in report["models"].items():
        cells = " | ".join(f"{figures[c]:.4f}" for c in columns)
        lines.append(f"| {name} | {cells} | {figures['fit_s']} |")
        if "production" in figures:
            made = figures["production"]
            described.append(
                f"{name}: ranker {made['ranker']}, trained by {made['trained_by']}, "
                f"version {made['version']}, ordered by the {made.get('orders_by', 'binary heads')}"
            )
    return "\n".join([*lines, "", report.get("note", NOTE), *described])
