"""`clipdeck recsys evaluate`: metrics, the models' contract, and the command."""

from __future__ import annotations

import json
from io import StringIO

import numpy as np
import pytest
import scipy.sparse as sp
from django.core.management import CommandError, call_command

from clipdeck.feed import training
from clipdeck.feed.evaluation.data import load_split
from clipdeck.feed.evaluation.metrics import evaluate
from clipdeck.feed.evaluation.models import ALS, EASE, ItemKNN, Popularity, RP3beta, recommend
from clipdeck.feed.evaluation.production import ProductionFeed
from clipdeck.feed.evaluation.tuning import Tuned, grids
from clipdeck.feed.ranker import HeadsRanker

pytestmark = pytest.mark.django_db  # the autouse fixture clears the database cache


def test_recall_and_ndcg_of_a_known_ranking():
    test = sp.csr_matrix(np.array([[1, 0, 1, 0], [0, 0, 0, 0]]))
    top = np.array([[2, 1, 0, 3], [0, 1, 2, 3]])

    figures = evaluate(top, test, ks=(1, 2))

    assert figures["recall@1"] == 0.5
    assert figures["recall@2"] == 0.5
    assert figures["ndcg@1"] == 1.0
    assert figures["ndcg@2"] == round(1 / (1 + 1 / np.log2(3)), 4)
    assert figures["users"] == 1


def write_split(folder, users=40, items=30, seed=0):
    """Two taste groups: even users like even items, odd users odd items."""
    rng = np.random.default_rng(seed)
    train, test = ["user_id,item_id"], ["user_id,item_id"]
    for user in range(users):
        liked = [i for i in range(items) if i % 2 == user % 2]
        rng.shuffle(liked)
        train += [f"u{user},i{i}" for i in liked[:10]]
        test += [f"u{user},i{i}" for i in liked[10:13]]
    (folder / "train.csv").write_text("\n".join(train))
    (folder / "test.csv").write_text("\n".join(test))
    tags = ["item_id,tags", *(f"i{i},{'even' if i % 2 == 0 else 'odd'}" for i in range(items))]
    (folder / "items.csv").write_text("\n".join(tags))


@pytest.mark.parametrize(
    "model",
    [
        Popularity(),
        ItemKNN(k=10),
        ALS(),
        EASE(regularization=10.0),
        RP3beta(alpha=1.0, beta=0.5),
        Tuned("ease", grids(0)["ease"], seed=0),
        ProductionFeed(seed=0),
    ],
    ids=lambda model: model.name,
)
def test_every_model_recommends_unseen_items_only(model, tmp_path):
    write_split(tmp_path)
    split = load_split(tmp_path / "train.csv", tmp_path / "test.csv", tmp_path / "items.csv")

    top = recommend(model.fit(split.train, split), split.train, 5)

    assert top.shape == (40, 5)
    for user in range(40):
        assert not set(top[user]) & set(split.train[user].indices)


def test_personalised_models_find_the_taste_groups(tmp_path):
    write_split(tmp_path)
    split = load_split(tmp_path / "train.csv", tmp_path / "test.csv", tmp_path / "items.csv")

    knn = evaluate(recommend(ItemKNN(k=10).fit(split.train), split.train, 5), split.test, (5,))
    pop = evaluate(recommend(Popularity().fit(split.train), split.train, 5), split.test, (5,))

    assert knn["recall@5"] > pop["recall@5"]
    for model in (EASE(regularization=10.0), RP3beta()):
        found = evaluate(recommend(model.fit(split.train), split.train, 5), split.test, (5,))
        assert found["recall@5"] > pop["recall@5"], model.name


def test_tuning_chooses_on_the_training_pairs_alone(tmp_path):
    write_split(tmp_path)
    split = load_split(tmp_path / "train.csv", tmp_path / "test.csv", tmp_path / "items.csv")
    chosen = Tuned("rp3beta", grids(0)["rp3beta"], seed=0).fit(split.train, split).chosen
    split.test = sp.csr_matrix(split.test.shape, dtype=np.float32)  # no test pairs at all

    again = Tuned("rp3beta", grids(0)["rp3beta"], seed=0).fit(split.train, split).chosen

    assert again == chosen
    assert chosen["validation_ndcg@20"] > 0


def evaluate_split(folder, out, *options: str) -> None:
    """``clipdeck recsys evaluate`` on the split ``write_split`` wrote into ``folder``."""
    files = [f"--{name}={folder / f'{name}.csv'}" for name in ("train", "test", "items")]
    call_command("recsys", "evaluate", *files, *options, stdout=out)


def test_the_command_prints_json_for_every_model(tmp_path):
    write_split(tmp_path)
    out = StringIO()

    evaluate_split(tmp_path, out, "--json")

    report = json.loads(out.getvalue())
    assert list(report["models"]) == [
        "popularity",
        "item_knn",
        "implicit_als",
        "ease",
        "rp3beta",
        "clipdeck_production",
    ]
    assert "'clipdeck_production' is the production model" in report["note"]
    assert report["models"]["ease"]["tuned"]["setting"]
    assert {"recall@10", "ndcg@20", "recall@50"} <= set(report["models"]["clipdeck_production"])


def test_evaluate_trains_with_the_production_training_and_scores_with_the_served_ranker(
    tmp_path, monkeypatch
):
    write_split(tmp_path)
    trained, scored = [], []
    real_train, real_score = training.train_on_log, HeadsRanker.score

    def spy_train(log, **kwargs):
        trained.append(len(log.rows))
        card = real_train(log, **kwargs)
        scored.clear()  # training scores held-out lists; count the test users' pages only
        return card

    def spy_score(self, rows, muted):
        scored.append(rows.shape[0])
        return real_score(self, rows, muted)

    monkeypatch.setattr(training, "train_on_log", spy_train)
    monkeypatch.setattr(HeadsRanker, "score", spy_score)
    out = StringIO()

    evaluate_split(tmp_path, out)

    assert trained == [400 + 40 * 20]  # the pairs, and three skipped per pair (20 videos left)
    assert len(scored) == 40 and all(scored)  # one page per test user, by the served ranker
    printed = out.getvalue()
    assert "clipdeck_production: ranker clipdeck.feed.ranker.HeadsRanker" in printed
    assert "trained by tests.feed.test_evaluation.spy_train" in printed  # it names what ran


def test_the_production_model_learns_the_taste_groups_end_to_end(tmp_path):
    write_split(tmp_path)
    split = load_split(tmp_path / "train.csv", tmp_path / "test.csv", tmp_path / "items.csv")

    model = ProductionFeed(seed=0).fit(split.train, split)
    production = evaluate(recommend(model, split.train, 3), split.test, (3,))
    popular = evaluate(recommend(Popularity().fit(split.train), split.train, 3), split.test, (3,))

    assert model.described["heads"]["complete"]["trained"]
    assert model.described["ranker"] == "clipdeck.feed.ranker.HeadsRanker"
    assert model.described["trained_by"] == "clipdeck.feed.training.train_on_log"
    assert production["recall@3"] > popular["recall@3"]


def test_the_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="--train"):
        call_command("recsys", "evaluate", "--train", str(tmp_path / "no.csv"), "--test", "x.csv")
