"""Offline quality over several seeds: NDCG@20 and Recall@20, mean ± 95 % interval.

For each seed: KuaiRec's small-matrix positives split per user 80/20 with that
seed, and KuaiRand's published split (the seed then varies the models and the
inner validation split). Every model of ``clipdeck recsys evaluate`` runs on
each: popularity, item-kNN, ALS, EASE and RP3beta tuned on an inner
validation split of the training pairs, and the production model
(``clipdeck_production``: the feed's training and serving code).

    .venv/bin/python benchmarks/recsys_baselines.py --seeds 5
    .venv/bin/python benchmarks/recsys_baselines.py --seeds 5 --models clipdeck_production
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clipdeck.settings")

# Student's t, two-sided 95 %, by degrees of freedom
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}
DATA = Path("/work/shared/data")


def interval(values: list[float]) -> str:
    mean = statistics.fmean(values)
    if len(values) < 2:
        return f"{mean:.4f}"
    half = T95.get(len(values) - 1, 1.96) * statistics.stdev(values) / math.sqrt(len(values))
    return f"{mean:.4f} ± {half:.4f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--datasets", default="kuairec,kuairand")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--models", default="", help="comma-separated model names (default all)")
    parser.add_argument("--first-seed", type=int, default=0)
    args = parser.parse_args()
    import django

    django.setup()
    from clipdeck.feed.evaluation import datasets
    from clipdeck.feed.evaluation.data import load_split
    from clipdeck.feed.evaluation.report import NOTE, default_models, run

    for name in args.datasets.split(","):
        figures: dict[str, dict[str, list[float]]] = {}
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            with tempfile.TemporaryDirectory() as out:
                folder = Path(out)
                if name == "kuairec":
                    datasets.kuairec(args.data / name, folder, seed)
                    items = folder / "items.csv"
                else:
                    datasets.kuairand(args.data / name, folder)
                    items = None
                split = load_split(folder / "train.csv", folder / "test.csv", items)
                wanted = set(filter(None, args.models.split(",")))
                models = [m for m in default_models(seed) if not wanted or m.name in wanted]
                report = run(split, models, seed=seed)
            for model, row in report["models"].items():
                mine = figures.setdefault(model, {"ndcg@20": [], "recall@20": []})
                mine["ndcg@20"].append(row["ndcg@20"])
                mine["recall@20"].append(row["recall@20"])
                print(f"{name} seed {seed} {model}: ndcg@20 {row['ndcg@20']:.4f}", flush=True)
        print(f"\n{name}, {args.seeds} seeds (mean ± 95 % interval)")
        print("| model | NDCG@20 | Recall@20 |\n| --- | ---: | ---: |")
        for model, mine in figures.items():
            print(f"| {model} | {interval(mine['ndcg@20'])} | {interval(mine['recall@20'])} |")
        print()
    print(NOTE)


if __name__ == "__main__":
    main()
