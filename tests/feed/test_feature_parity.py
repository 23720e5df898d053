"""Training and serving compute the same features for the same viewer and videos."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from clipdeck.feed import artefacts, pipeline, training_data, viewer_state
from clipdeck.feed.affinity import affinity
from clipdeck.feed.features import FEATURES, feature_row, visible_facts
from clipdeck.feed.store import store
from clipdeck.feed.training import train
from clipdeck.videos.models import Hashtag
from tests.factories import FollowFactory, SoundFactory, UserFactory, VideoFactory
from tests.feed.conftest import record

pytestmark = pytest.mark.django_db


def _world(viewer):
    tags = [Hashtag.objects.create(name=name) for name in ("cats", "dogs", "birds")]
    sound = SoundFactory()
    videos = []
    for n in range(18):
        video = VideoFactory(duration_ms=8_000 + 2_000 * n, sound=sound if n % 2 else None)
        video.hashtags.add(tags[n % 3])
        videos.append(video)
    FollowFactory(follower=viewer, followee=videos[4].author)
    FollowFactory(follower=UserFactory(), followee=videos[4].author)
    for other in UserFactory.create_batch(6):
        for n, video in enumerate(videos):
            watched = video.duration_ms if n % 3 == 0 else 1_000
            record(other, ("view" if n % 3 == 0 else "skip", video, watched))
    for n in (0, 3, 6, 1):
        watched = videos[n].duration_ms if n % 3 == 0 else 800
        record(viewer, ("view" if n % 3 == 0 else "skip", videos[n], watched))
    return videos


def test_a_pages_features_are_the_same_computed_by_training_and_by_serving(user):
    videos = _world(user)
    train(days=30)
    model = artefacts.load_current()
    page = [str(video.pk) for video in videos[4:14]]
    now = timezone.now()

    # serving: the precomputed long-term context, the visibility-checked facts
    store().delete(f"feed:short:{user.pk}")  # no event since the log: no short-term interest
    viewer_state.compute(user)  # as the refresh after the viewer's last event does
    context, _ = viewer_state.load(user, served=[])
    found = visible_facts(context, page, now)  # in the database's order
    served = pipeline.feature_rows(context, {pk: found[pk] for pk in page}, model)

    # training: the event log as the example builder reads it
    log = training_data.load_log(now - timedelta(days=30))
    contexts = training_data.contexts_at(log.rows, log.videos, log.following)
    facts = training_data.facts_at(log.rows, log.videos, now)
    scores = affinity(contexts[user.pk], model)
    trained = np.array(
        [feature_row(contexts[user.pk], facts[pk], *scores.scores(pk)) for pk in page]
    )

    assert served.shape == trained.shape == (10, len(FEATURES))
    for column, name in enumerate(FEATURES):
        assert served[:, column] == pytest.approx(trained[:, column], abs=1e-3), name
    assert served[:, FEATURES.index("viewer_follows_creator")].any()
    assert served[:, FEATURES.index("collaborative_score")].any()
    assert served[:, FEATURES.index("coengagement_score")].any()
    assert served[:, FEATURES.index("ease_score")].any()


@pytest.mark.parametrize("seed", range(10))
def test_the_interest_in_the_strongest_key_is_the_first_of_the_largest_magnitude(seed):
    import math
    import random

    from clipdeck.feed.features import viewer_interest

    rng = random.Random(seed)
    weights = {f"k{n}": rng.choice([0.0, -0.0, 1.5, -1.5, rng.uniform(-4, 4)]) for n in range(8)}
    weights["7"] = 2.0  # an id that reaches the features as an int
    for _ in range(50):
        keys = [rng.choice([None, 7, "missing", *weights]) for _ in range(rng.randint(0, 5))]
        values = [weights.get(str(key), 0.0) for key in keys if key is not None]
        expected = math.tanh((max(values, key=abs) if values else 0.0) / 3)

        assert viewer_interest(weights, keys) == expected, keys
