"""What the feed shares between viewers to be fast never bypasses the visibility policy."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from clipdeck.feed.context import viewer_context
from clipdeck.feed.features import visible_facts
from clipdeck.feed.sources import exploration
from clipdeck.feed.training import train
from clipdeck.videos.models import Visibility
from tests.factories import FollowFactory, UserFactory, VideoFactory
from tests.feed.conftest import ids, record

pytestmark = pytest.mark.django_db


def test_memoised_video_facts_still_go_through_the_visibility_check(user):
    video = VideoFactory()
    follower, stranger = UserFactory(), UserFactory()
    FollowFactory(follower=follower, followee=video.author, state="following")
    assert str(video.pk) in visible_facts(viewer_context(user), [str(video.pk)], timezone.now())

    video.visibility = Visibility.FOLLOWERS
    video.save(update_fields=["visibility"])

    now = timezone.now()
    assert str(video.pk) in visible_facts(viewer_context(follower), [str(video.pk)], now)
    assert visible_facts(viewer_context(stranger), [str(video.pk)], now) == {}


def test_the_shared_exploration_pool_is_filtered_per_viewer(api, user):
    creator = UserFactory()
    followers_only = VideoFactory(author=creator, visibility=Visibility.FOLLOWERS)
    public = VideoFactory()

    proposed = exploration.candidates(viewer_context(user), limit=5, exclude=set())
    page = ids(api(user).get("feed/for-you"))

    assert str(followers_only.pk) in [candidate.video_id for candidate in proposed]
    assert str(followers_only.pk) not in page
    assert str(public.pk) in page


def test_seeded_sampling_repeats_the_exploration_order(user):
    VideoFactory.create_batch(8)
    context = viewer_context(user)

    def order(seed):
        exploration.seed_sampling(seed)
        try:
            return [c.video_id for c in exploration.candidates(context, limit=8, exclude=set())]
        finally:
            exploration.seed_sampling(None)

    assert order(3) == order(3)


def test_training_gives_sqlite_planner_statistics(user):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its own statistics")
    video = VideoFactory(duration_ms=10_000)
    record(user, ("view", video, 10_000), ("like", video, 0))

    train(days=30)

    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        tables = {row[0] for row in cursor.fetchall()}
    assert {"videos_video", "feed_event"} <= tables


def test_a_stale_shared_list_is_served_while_one_refresh_runs_behind(monkeypatch):
    from types import SimpleNamespace

    from clipdeck.feed import shared

    clock, started = [1000.0], []
    values = iter([["first"], ["second"]])
    monkeypatch.setattr(shared, "time", SimpleNamespace(time=lambda: clock[0]))
    monkeypatch.setattr(shared, "connections", SimpleNamespace(close_all=lambda: None))

    class Deferred:
        def __init__(self, target, args, **_):
            self.call = (target, args)

        def start(self):
            started.append(self.call)

    monkeypatch.setattr(shared, "threading", SimpleNamespace(Thread=Deferred))

    def listed():
        return shared.shared_list("feed:test", lambda: next(values), fresh_s=30)

    assert listed() == ["first"]
    clock[0] += 31
    assert (listed(), listed()) == (["first"], ["first"])  # stale, not waited for
    assert len(started) == 1  # one refresh at a time
    target, args = started[0]
    target(*args)
    assert listed() == ["second"]
