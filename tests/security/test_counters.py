"""Public counters count a viewer once per video and window: replays cannot promote a video."""

from __future__ import annotations

import pytest

from clipdeck.feed.models import VideoStats
from tests.factories import UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


def replay(api, user, video, kinds: list[str], times: int) -> None:
    events = [
        {"type": kind, "video": str(video.pk), "watched_ms": 10_000}
        for kind in kinds
        for _ in range(times)
    ]
    for start in range(0, len(events), 100):
        assert api(user).post("events", {"events": events[start : start + 100]}).status_code == 200


def test_330_replayed_events_from_one_account_count_as_one_of_each(api):
    video = VideoFactory(duration_ms=10_000)
    fan = UserFactory()

    replay(api, fan, video, ["view", "like", "share"], times=110)

    stats = VideoStats.objects.get(video=video)
    assert (stats.exposures, stats.completions, stats.likes, stats.shares) == (1, 1, 1, 1)


def test_different_viewers_each_count(api):
    video = VideoFactory(duration_ms=10_000)

    for _ in range(3):
        replay(api, UserFactory(), video, ["view"], times=5)

    assert VideoStats.objects.get(video=video).exposures == 3


def test_the_window_ends_and_the_viewer_counts_again(api, settings):
    from django.core.cache import cache

    video = VideoFactory(duration_ms=10_000)
    fan = UserFactory()
    replay(api, fan, video, ["view"], times=2)
    cache.clear()  # the window (CLIPDECK_COUNT_ONCE_SECONDS) has passed

    replay(api, fan, video, ["view"], times=2)

    assert VideoStats.objects.get(video=video).exposures == 2


def product_tagged_in(video):
    from clipdeck.shop.models import VideoProduct
    from tests.shop.factories import ProductFactory, VariantFactory

    product = ProductFactory()
    VariantFactory(product=product)
    return VideoProduct.objects.create(video=video, product=product)


def test_replayed_impressions_and_taps_count_once_per_viewer(api):
    video = VideoFactory()
    tag = product_tagged_in(video)
    fan = api(UserFactory())

    for _ in range(20):
        fan.post(f"videos/{video.pk}/products/impression")
        fan.post(f"videos/{video.pk}/products/{tag.product_id}/tap")

    tag.refresh_from_db()
    assert (tag.impressions, tag.taps) == (1, 1)


def test_anonymous_counters_are_rate_limited_per_network(api, settings):
    settings.CLIPDECK_RATE_LIMITS = {**settings.CLIPDECK_RATE_LIMITS, "count": (0, 5, 60)}
    video = VideoFactory()

    answers = [api().post(f"videos/{video.pk}/share").status_code for _ in range(7)]

    assert answers == [200] * 5 + [429] * 2


def test_replayed_shares_count_once_per_sharer(api):
    from clipdeck.videos.models import Share

    video = VideoFactory()
    fan = api(UserFactory())

    counts = [fan.post(f"videos/{video.pk}/share").json()["count"] for _ in range(10)]

    assert counts == [1] * 10
    assert Share.objects.filter(video=video).count() == 10  # each share is still recorded
