"""`clipdeck recsys train`: versioned artefacts, a model card, and the ranker in use."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from clipdeck.feed import artefacts
from clipdeck.feed.features import FEATURES
from clipdeck.feed.training import train
from tests.factories import UserFactory, VideoFactory
from tests.feed.conftest import record

pytestmark = pytest.mark.django_db


def synthetic_log():
    """Viewers who finish and like short cat videos and skip long dog videos."""
    cats = [VideoFactory(duration_ms=8_000) for _ in range(6)]
    dogs = [VideoFactory(duration_ms=60_000) for _ in range(6)]
    for viewer in UserFactory.create_batch(12):
        for cat in cats:
            record(viewer, ("view", cat, 8_000), ("like", cat, 0))
        for dog in dogs:
            record(viewer, ("skip", dog, 1_000))
    return cats, dogs


def test_training_writes_a_version_named_by_content_hash_with_a_model_card():
    synthetic_log()

    card = train(days=30)

    folder = artefacts.recsys_dir() / card["version"]
    assert artefacts.current_version() == card["version"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "card.json",
        "item_ids.json",
        "items.npz",
        "ranker_complete.txt",
        "ranker_constants.json",  # nobody shared: the share head predicts 0
        "ranker_like.txt",
    ]
    assert json.loads((folder / "ranker_constants.json").read_text()) == {"share": 0.0}
    stored = json.loads((folder / "card.json").read_text())
    assert stored["features"] == list(FEATURES)
    assert stored["counts"]["videos"] == 12
    assert set(stored["data_window"]) == {"from", "to", "label_cutoff", "days"}
    assert stored["metrics"]["complete"]["trained"] is True
    assert stored["metrics"]["share"] == {
        "trained": False,
        "why": "one class only",
        "examples": stored["counts"]["ranker_examples"],
    }
    assert stored["contains_user_ids"] is False


def test_the_same_log_gives_the_same_version():
    synthetic_log()

    assert train(days=30)["version"] == train(days=30)["version"]


def test_the_trained_rankers_are_loaded_for_the_feed(api):
    synthetic_log()
    version = train(days=30)["version"]

    loaded = artefacts.load_current()

    assert loaded.version == version
    assert sorted(loaded.rankers) == ["complete", "like"]
    assert api(UserFactory()).get("feed/for-you").status_code == 200


def test_the_feed_falls_back_when_no_model_is_trained(api):
    VideoFactory()

    assert artefacts.load_current() is None
    assert len(api(UserFactory()).get("feed/for-you").json()["items"]) == 1


def test_training_an_empty_log_is_a_clear_error():
    with pytest.raises(CommandError, match="event log is empty"):
        call_command("recsys", "train", stdout=StringIO())


def test_the_listwise_lessons_are_each_viewers_unseen_candidates_labelled_by_what_came_next():
    import numpy as np
    import scipy.sparse as sp

    from clipdeck.feed import training
    from clipdeck.feed.cf import AlsParams, EaseParams
    from clipdeck.feed.evaluation.production import event_log
    from clipdeck.feed.models import EventKind

    rng = np.random.default_rng(0)
    liked = sp.csr_matrix((rng.random((60, 80)) < 0.15).astype(np.float32))
    log = event_log(liked, [f"v{i}" for i in range(80)], {}, seed=0)

    found = training.examples(log, AlsParams(factors=8, iterations=3), EaseParams())

    cutoff, lists = found.cutoff, found.lists
    before: dict[int, set[str]] = {}
    completed_after: dict[int, set[str]] = {}
    for row in log.rows:
        if row.at < cutoff:
            before.setdefault(row.user, set()).add(row.video)
        elif row.kind == EventKind.VIEW:
            completed_after.setdefault(row.user, set()).add(row.video)
    assert lists.count >= 20 and len(lists.videos) == len(lists.relevance) == lists.x.shape[0]
    start = 0
    for user, size in zip(lists.users.tolist(), lists.sizes.tolist(), strict=True):
        videos = lists.videos[start : start + size]
        relevance = lists.relevance[start : start + size].tolist()
        assert not set(videos) & before[user]  # nothing already shown before the cut-off
        assert len(set(videos)) == size
        assert relevance == [int(v in completed_after.get(user, set())) for v in videos]
        assert any(relevance)  # a list with nothing relevant teaches nothing
        start += size


def test_a_newly_saved_version_is_current_at_once_though_the_pointer_is_remembered(tmp_path):
    def staged(content: str):
        folder = tmp_path / content
        folder.mkdir()
        (folder / "items.npz").write_text(content)
        return folder

    first = artefacts.save(staged("one"), {})
    assert artefacts.current_version() == first == artefacts.current_version()

    second = artefacts.save(staged("two"), {})

    assert second != first
    assert artefacts.current_version() == second
    (artefacts.recsys_dir() / "current").unlink()
    assert artefacts.current_version() is None
