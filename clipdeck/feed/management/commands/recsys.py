"""``clipdeck recsys train | evaluate | prepare | prune``: the recommender's offline work."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def shared_data_dir() -> Path:
    """Where ``prepare`` looks for KuaiRec/KuaiRand without ``--source`` (read when run)."""
    return Path(settings.BASE_DIR).parent / "shared" / "data"


class Command(BaseCommand):
    help = "Train, evaluate and maintain the For You recommender."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train from the event log")
        train.add_argument("--days", type=int, default=90, help="data window in days")
        evaluate = sub.add_parser("evaluate", help="offline Recall@K / NDCG@K on a split")
        evaluate.add_argument("--train", required=True, type=Path)
        evaluate.add_argument("--test", required=True, type=Path)
        evaluate.add_argument("--items", type=Path, help="item features: item_id,tags,…")
        evaluate.add_argument("--seed", type=int, default=0)
        evaluate.add_argument("--json", action="store_true", help="print JSON, not a table")
        prepare = sub.add_parser("prepare", help="write KuaiRec/KuaiRand as evaluation CSVs")
        prepare.add_argument("dataset", choices=["kuairec", "kuairand"])
        prepare.add_argument("--source", type=Path, help="the dataset folder")
        prepare.add_argument("--out", required=True, type=Path)
        prepare.add_argument("--seed", type=int, default=0)
        sub.add_parser("prune", help="delete events older than the retention period")

    def handle(self, *args, **options) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _train(self, options) -> None:
        from clipdeck.feed.training import train

        try:
            card = train(days=options["days"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(card, indent=2, sort_keys=True))

    def _evaluate(self, options) -> None:
        from clipdeck.feed.evaluation.data import load_split
        from clipdeck.feed.evaluation.report import run, table

        for name in ("train", "test", "items"):
            if options[name] is not None and not options[name].exists():
                raise CommandError(f"--{name}: no such file {options[name]}")
        split = load_split(options["train"], options["test"], options["items"])
        report = run(split, seed=options["seed"])
        self.stdout.write(json.dumps(report, indent=2) if options["json"] else table(report))

    def _prepare(self, options) -> None:
        from clipdeck.feed.evaluation import datasets

        source = options["source"] or shared_data_dir() / options["dataset"]
        if options["dataset"] == "kuairec":
            counts = datasets.kuairec(source, options["out"], options["seed"])
        else:
            counts = datasets.kuairand(source, options["out"])
        self.stdout.write(json.dumps(counts))

    def _prune(self, options) -> None:
        from clipdeck.feed.services import events_prune

        self.stdout.write(f"deleted {events_prune()} events older than the retention period")
