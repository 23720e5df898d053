"""Each candidate source on its own, given a small synthetic world."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from clipdeck.feed.context import viewer_context
from clipdeck.feed.models import VideoStats
from clipdeck.feed.sources import (
    coengagement,
    collaborative,
    ease,
    exploration,
    following,
    fresh,
    hashtags,
    sounds,
    trending,
)
from clipdeck.feed.training import train
from clipdeck.videos.models import Video, VideoStatus, Visibility
from tests.factories import FollowFactory, SoundFactory, UserFactory, VideoFactory
from tests.feed.conftest import record

pytestmark = pytest.mark.django_db


def proposed(found) -> list[str]:
    return [candidate.video_id for candidate in found]


def tagged(name: str, **kwargs):
    video = VideoFactory(**kwargs)
    video.hashtags.add(video.hashtags.model.objects.get_or_create(name=name)[0])
    return video


def test_following_proposes_newest_videos_of_followed_accounts(user):
    creator = UserFactory()
    FollowFactory(follower=user, followee=creator)
    older, newer = VideoFactory(author=creator), VideoFactory(author=creator)
    VideoFactory()  # not followed

    found = following.candidates(viewer_context(user), limit=10, exclude=set())

    assert proposed(found) == [str(newer.pk), str(older.pk)]
    assert found[0].because == f"@{creator.handle}"


def test_hashtags_proposes_videos_with_the_tags_the_viewer_engages_with(user):
    liked = tagged("cats")
    other_cat, dog = tagged("cats"), tagged("dogs")
    record(user, ("like", liked, 0))

    found = hashtags.candidates(viewer_context(user), limit=10, exclude={str(liked.pk)})

    assert proposed(found) == [str(other_cat.pk)]
    assert str(dog.pk) not in proposed(found)
    assert found[0].because == "#cats"


def test_sounds_proposes_videos_using_the_sounds_the_viewer_engages_with(user):
    sound = SoundFactory(title="Rain")
    liked, same_sound = VideoFactory(sound=sound), VideoFactory(sound=sound)
    VideoFactory(sound=SoundFactory())

    record(user, ("share", liked, 0))
    found = sounds.candidates(viewer_context(user), limit=10, exclude={str(liked.pk)})

    assert proposed(found) == [str(same_sound.pk)]
    assert found[0].because == "“Rain”"


def test_trending_orders_by_recent_engagement(user):
    quiet, busy = VideoFactory(), VideoFactory()
    for fan in UserFactory.create_batch(3):
        record(fan, ("view", busy, 15_000), ("like", busy, 0))
    record(UserFactory(), ("view", quiet, 1_000))

    found = trending.candidates(viewer_context(user), limit=2, exclude=set())

    assert proposed(found) == [str(busy.pk), str(quiet.pk)]


def _old_trending(now) -> list[tuple[str, float]]:
    """Trending as computed before the index: every recent public video sorted by likes."""
    recent = [
        video
        for video in Video.objects.all()
        if video.status == VideoStatus.PUBLISHED
        and video.visibility == Visibility.PUBLIC
        and video.published_at >= now - timedelta(days=trending.RECENT_DAYS)
    ]
    liked = sorted(recent, key=lambda video: -video.like_count)[: trending.KEEP]
    scores = {
        str(video.pk): trending.hot_score(
            exposures=0,
            completions=0,
            likes=video.like_count,
            shares=video.share_count,
            age_hours=(now - video.published_at).total_seconds() / 3600,
        )
        for video in liked
    }
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def test_trending_lists_the_same_most_liked_videos_as_sorting_the_whole_catalogue(monkeypatch):
    monkeypatch.setattr(trending, "KEEP", 3)  # fewer than the recent public videos
    now = timezone.now()
    for likes in (3, 9, 1, 7, 12, 5, 0):
        VideoFactory(like_count=likes, published_at=now - timedelta(hours=likes * 5))
    for likes in (50, 60, 70, 80, 90, 100):  # too old, and more liked: a page of them first
        VideoFactory(like_count=likes, published_at=now - timedelta(days=40))
    VideoFactory(like_count=40, visibility=Visibility.PRIVATE)
    VideoFactory(like_count=30, status=VideoStatus.PROCESSING)

    found = trending._compute()

    expected = _old_trending(timezone.now())
    assert [pk for pk, _ in found] == [pk for pk, _ in expected]
    assert [score for _, score in found] == pytest.approx([score for _, score in expected])
    assert len(found) == 3


def test_trending_reads_the_most_liked_videos_in_index_order_without_a_sort():
    plan = trending.by_likes().explain()

    assert "video_public_likes_idx" in plan
    assert "TEMP B-TREE" not in plan


def test_fresh_proposes_the_newest_videos(user):
    first, second = VideoFactory(), VideoFactory()

    found = fresh.candidates(viewer_context(None), limit=5, exclude=set())

    assert proposed(found) == [str(second.pk), str(first.pk)]


def test_exploration_offers_new_videos_until_their_pool_is_full(user):
    open_video, full = VideoFactory(), VideoFactory()
    VideoStats.objects.create(video=full, exposures=exploration.POOLS[0].cap, completions=0)

    found = exploration.candidates(
        viewer_context(user), limit=5, exclude=set(), rng=np.random.default_rng(0)
    )

    assert proposed(found) == [str(open_video.pk)]


def test_a_video_that_earns_it_is_promoted_to_the_next_pool():
    cap = exploration.POOLS[0].cap
    good = VideoStats(exposures=cap, completions=cap // 2, likes=0, pool=0)
    poor = VideoStats(exposures=cap, completions=1, likes=0, pool=0)
    early = VideoStats(exposures=cap - 1, completions=cap - 1, likes=0, pool=0)

    assert (exploration.promote(good), exploration.promote(poor)) == (1, 0)
    assert exploration.promote(early) == 0


def test_promotion_happens_as_views_arrive(user):
    video = VideoFactory(duration_ms=10_000)
    viewers = UserFactory.create_batch(exploration.POOLS[0].cap)

    for viewer in viewers:
        record(viewer, ("view", video, 10_000))

    assert VideoStats.objects.get(video=video).pool == 1


def test_thompson_sampling_favours_the_better_video():
    rows = [
        {"exposures": 40, "completions": 30, "likes": 5},
        {"exposures": 40, "completions": 2, "likes": 0},
    ]

    draws = np.array([exploration.sample(rows, np.random.default_rng(s)) for s in range(200)])

    assert (draws[:, 0] > draws[:, 1]).mean() > 0.95


def _co_watched_world(user):
    """Three fans who each liked ``a`` and ``b``; the viewer liked ``a``."""
    a, b, c = VideoFactory(), VideoFactory(), VideoFactory()
    for fan in UserFactory.create_batch(3):
        record(fan, ("like", a, 0), ("like", b, 0))
    record(UserFactory(), ("like", c, 0))
    record(user, ("like", a, 0))
    return a, b, c


def test_coengagement_proposes_videos_liked_together_from_the_live_log(user):
    a, b, _ = _co_watched_world(user)

    found = coengagement.candidates(viewer_context(user), None, limit=5, exclude=set())

    assert proposed(found) == [str(b.pk)]
    assert found[0].because == str(a.pk)


def _trained_on_the_co_watched_world(user):
    """``(a, b, the viewer's context, the trained model)`` of ``_co_watched_world``."""
    from clipdeck.feed.artefacts import load_current

    a, b, _ = _co_watched_world(user)
    train(days=30)
    return a, b, viewer_context(user), load_current()


def test_coengagement_and_collaborative_use_the_trained_model(user):
    a, b, context, model = _trained_on_the_co_watched_world(user)

    neighbours = coengagement.candidates(context, model, limit=5, exclude=set())
    similar = collaborative.candidates(context, model, limit=1, exclude={str(a.pk)})

    assert proposed(neighbours) == [str(b.pk)]
    assert proposed(similar) == [str(b.pk)]


def test_ease_proposes_what_the_viewers_likes_predict_from_the_trained_weights(user):
    a, b, context, model = _trained_on_the_co_watched_world(user)

    found = ease.candidates(context, model, limit=5, exclude=set())

    assert proposed(found)[0] == str(b.pk)
    assert str(a.pk) not in proposed(found)  # already engaged with
    assert found[0].score == 1.0  # scores are relative to the viewer's best
    assert ease.candidates(context, None, limit=5, exclude=set()) == []
    assert str(b.pk) not in proposed(ease.candidates(context, model, limit=5, exclude={str(b.pk)}))


def test_the_ease_scores_a_page_asks_twice_for_are_computed_once_and_follow_a_change(user):
    from clipdeck.feed.artefacts import _ease_scores, ease_scores

    a, b, context, model = _trained_on_the_co_watched_world(user)
    first = ease_scores(model, context.engaged)

    assert ease_scores(model, dict(context.engaged)) is first  # the same interests: kept
    assert first == _ease_scores(model, context.engaged)
    changed = {**context.engaged, str(a.pk): context.engaged[str(a.pk)] * 3, str(b.pk): 1.0}
    assert _ease_scores(model, changed) != first  # a like of b changes the answer
    assert ease_scores(model, changed) == _ease_scores(model, changed)
    assert ease_scores(model, {}) == {}


def test_candidates_the_viewer_may_not_see_never_reach_the_page(api, user):
    creator = UserFactory()
    FollowFactory(follower=user, followee=creator, state="requested")
    liked = tagged("cats")
    hidden = tagged("cats", author=creator, visibility=Visibility.FOLLOWERS)
    record(user, ("like", liked, 0))
    context = viewer_context(user)

    assert following.candidates(context, limit=5, exclude=set()) == []
    assert str(hidden.pk) in proposed(hashtags.candidates(context, limit=5, exclude=set()))
    assert str(hidden.pk) not in [
        i["video"]["id"] for i in api(user).get("feed/for-you").json()["items"]
    ]
