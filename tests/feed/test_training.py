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
