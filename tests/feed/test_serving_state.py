"""Serving at scale: the feed's own state store, precomputed viewer state, few queries a page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from clipdeck.feed import page_queue, pipeline, realtime, rendered, shared, viewer_state
from clipdeck.feed.context import long_term_context
from clipdeck.feed.store import store
from clipdeck.feed.training import train
from clipdeck.runtime.caches import feed_state_cache
from clipdeck.videos.filters import viewer_filters_set
from clipdeck.videos.models import Hashtag, Video, Visibility
from tests.factories import BlockFactory, FollowFactory, SoundFactory, UserFactory, VideoFactory
from tests.feed.conftest import ids, record

pytestmark = pytest.mark.django_db

QUERY_BOUND = 8


def _catalogue(count: int) -> list:
    tags = [Hashtag.objects.get_or_create(name=f"tag{n}")[0] for n in range(7)]
    videos = []
    for n in range(count):
        video = VideoFactory(sound=SoundFactory() if n % 3 == 0 else None)
        video.hashtags.add(tags[n % 7])
        videos.append(video)
    return videos


@pytest.fixture
def returning_viewer(user):
    """A viewer with follows, likes and views, on a trained model, state precomputed."""
    videos = _catalogue(40)
    for other in UserFactory.create_batch(4):
        for video in videos[:20]:
            record(other, ("view", video, 14_000), ("like", video, 0))
    FollowFactory(follower=user, followee=videos[25].author)
    record(user, ("like", videos[0], 0), ("view", videos[1], 15_000), ("skip", videos[2], 500))
    train()
    viewer_state.compute(user)
    return user


def _page_queries(client, *, built=True, **params) -> tuple[int, dict]:
    """The queries of one page: one built in full unless ``built=False`` (from the queue),
    none of its videos' dumps kept (the most it takes, whatever was presented lately)."""
    shared._seen_generation["checked"] = None  # count the look for invalidations elsewhere
    rendered.forget()
    if built:
        page_queue.touch(client.user.pk)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("feed/for-you", {"limit": 10, **params})
    assert response.status_code == 200
    return len(queries), response.json()


def test_a_personalised_page_takes_at_most_eight_queries(api, returning_viewer):
    client = api(returning_viewer)
    client.get("feed/for-you", {"limit": 10})  # the shared lists are computed once for all

    first, page = _page_queries(client)
    following, _ = _page_queries(client, cursor=page["next_cursor"])

    assert len(page["items"]) == 10
    assert first <= QUERY_BOUND
    assert following <= QUERY_BOUND


def test_the_query_count_does_not_grow_with_the_catalogue(api, returning_viewer):
    client = api(returning_viewer)
    client.get("feed/for-you", {"limit": 10})
    few, _ = _page_queries(client)
    _catalogue(60)
    viewer_state.compute(returning_viewer)
    client.get("feed/for-you", {"limit": 10})

    many, _ = _page_queries(client)

    assert many == few


def test_a_new_follow_reaches_the_precomputed_candidates(api, user):
    _catalogue(5)
    creator = UserFactory()
    theirs = VideoFactory(author=creator)
    viewer_state.compute(user)
    before = store().get(f"feed:viewer:{user.pk}")
    assert str(theirs.pk) not in {c.video_id for c in before.candidates}

    FollowFactory(follower=user, followee=creator)

    state = store().get(f"feed:viewer:{user.pk}")
    assert str(theirs.pk) in {c.video_id for c in state.candidates if c.source == "following"}


def test_precomputed_candidates_still_pass_the_visibility_check(api, user):
    creator = UserFactory()
    theirs = VideoFactory(author=creator)
    FollowFactory(follower=user, followee=creator)
    viewer_state.compute(user)
    BlockFactory(blocker=creator, blocked=user)

    response = api(user).get("feed/for-you", {"limit": 10})

    assert str(theirs.pk) not in ids(response)


def test_a_reset_drops_the_precomputed_state(api, user):
    video = VideoFactory()
    record(user, ("like", video, 0))
    assert store().get(f"feed:viewer:{user.pk}") is not None

    assert api(user).post("feed/reset").status_code == 200

    assert store().get(f"feed:viewer:{user.pk}") is None


def test_the_local_store_evicts_the_least_recently_used_state_only():
    config = feed_state_cache("", 1)
    config["OPTIONS"] = {**config["OPTIONS"], "MAX_ENTRIES": 100}
    config["LOCATION"] = "feed-eviction-test"
    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    with override_settings(CACHES={"default": locmem, "feed": config}):
        local = caches["feed"]
        local.set("feed:short:live", {"weights": 1})
        for n in range(500):
            local.set(f"feed:served:gone:{n}", [n])
            assert local.get("feed:short:live") == {"weights": 1}  # read by every page
        assert local.get("feed:served:gone:0") is None  # idle state went


def test_the_store_is_redis_when_configured_and_shared_with_several_processes():
    assert "RedisCache" in feed_state_cache("redis://127.0.0.1:6379/3", 1)["BACKEND"]
    shared_db = feed_state_cache("", 4)
    assert "DatabaseCache" in shared_db["BACKEND"]
    assert shared_db["OPTIONS"]["MAX_ENTRIES"] >= 10_000_000
    local = feed_state_cache("", 1)
    assert "LocMemCache" in local["BACKEND"]
    assert local["OPTIONS"]["MAX_ENTRIES"] >= 100_000
    assert local["OPTIONS"]["CULL_FREQUENCY"] >= 10  # a tenth at most, the least recently used


def test_a_list_invalidated_in_another_process_is_dropped_here(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(shared, "time", SimpleNamespace(time=lambda: clock[0]))
    monkeypatch.setattr(shared, "_seen_generation", {"checked": None, "value": None})
    shared.shared_list("feed:fresh", lambda: ["old"], fresh_s=30)
    cache.set(shared.GENERATION_KEY, {"value": 1.0, "keys": ["feed:other"]}, None)
    clock[0] += 2
    shared.shared_list("feed:fresh", lambda: ["old"], fresh_s=30)  # sees generation 1.0
    # another process publishes a video: it bumps the generation in the shared cache
    cache.set(shared.GENERATION_KEY, {"value": 2.0, "keys": ["feed:fresh"]}, None)
    clock[0] += 2

    assert shared.shared_list("feed:fresh", lambda: ["new"], fresh_s=30) == ["new"]


def test_the_stored_profile_holds_the_long_term_interests_only(user):
    liked = VideoFactory()
    record(user, ("like", liked, 0))  # the short-term profile has the creator at once

    state = store().get(f"feed:viewer:{user.pk}")
    short = realtime.load(user.pk).creators[str(liked.author_id)]
    long_term = long_term_context(user).creators[str(liked.author_id)]

    context, _ = viewer_state.load(user, served=[])

    assert state.profile.creators == pytest.approx({str(liked.author_id): long_term})
    assert context.creators[str(liked.author_id)] == pytest.approx(long_term + 2 * short, rel=0.01)


def test_the_next_pages_come_from_the_ranked_queue_in_fewer_queries(api, returning_viewer):
    client = api(returning_viewer)
    client.get("feed/for-you", {"limit": 10})

    built, page = _page_queries(client)
    queued, following = _page_queries(client, built=False, cursor=page["next_cursor"])

    assert len(following["items"]) == 10
    assert not set(ids_of(page)) & set(ids_of(following))
    assert queued < built
    assert queued <= 5  # the token, the rows (the visibility check), the schema's three


def ids_of(page: dict) -> list[str]:
    return [item["video"]["id"] for item in page["items"]]


def test_an_event_drops_the_queue_so_the_next_page_is_ranked_on_it(api, user, monkeypatch):
    _catalogue(40)
    client = api(user)
    builds = []
    build_page = pipeline.build_page
    monkeypatch.setattr(
        pipeline, "build_page", lambda *args, **kw: builds.append(1) or build_page(*args, **kw)
    )
    first = client.get("feed/for-you", {"limit": 5}).json()
    second = client.get("feed/for-you", {"limit": 5, "cursor": first["next_cursor"]}).json()
    assert len(builds) == 1  # the second page came from the queue
    before = store().get(f"feed:queue:{user.pk}")

    skipped = second["items"][0]["video"]["id"]
    monkeypatch.setattr(pipeline, "rank_behind", lambda viewer: None)  # the event's ranking
    record(user, ("skip", Video.objects.get(pk=skipped), 300))

    assert before is not None and store().get(f"feed:queue:{user.pk}") is None
    client.get("feed/for-you", {"limit": 5, "cursor": second["next_cursor"]})
    assert len(builds) == 2


def test_the_next_pages_are_ranked_behind_an_event_for_the_latest_session(api, user, monkeypatch):
    _catalogue(40)
    client = api(user)
    first = client.get("feed/for-you", {"limit": 5}).json()
    second = client.get("feed/for-you", {"limit": 5, "cursor": first["next_cursor"]}).json()
    served = set(ids_of(first)) | set(ids_of(second))
    outdated = page_queue.stamp(user.pk)

    record(user, ("skip", Video.objects.get(pk=ids_of(second)[0]), 300))

    queue = page_queue.waiting(user.pk, version=None, limit=5)
    assert queue is not None and queue.stamp != outdated  # ranked after the skip, on it
    assert len(queue.items) == (page_queue.pages_ahead() + 1) * 5  # as many as a page built
    assert not {item.video_id for item in queue.items} & served
    builds = []
    build_page = pipeline.build_page
    monkeypatch.setattr(
        pipeline, "build_page", lambda *args, **kw: builds.append(1) or build_page(*args, **kw)
    )
    third = client.get("feed/for-you", {"limit": 5, "cursor": second["next_cursor"]}).json()
    assert not builds and ids_of(third) == [item.video_id for item in queue.items[:5]]


def test_a_refresh_behind_an_event_ranks_the_next_pages_on_the_background_thread(
    api, user, settings, monkeypatch, django_capture_on_commit_callbacks
):
    _catalogue(40)
    client = api(user)
    first = client.get("feed/for-you", {"limit": 5}).json()
    settings.CLIPDECK_FEED_REFRESH = "background"
    jobs = []
    monkeypatch.setattr(viewer_state._executor, "submit", lambda *job: jobs.append(job))
    with django_capture_on_commit_callbacks(execute=True):
        record(user, ("skip", Video.objects.get(pk=ids_of(first)[0]), 300))
    assert store().get(f"feed:queue:{user.pk}") is None  # dropped in the request

    monkeypatch.setattr(viewer_state.connections, "close_all", lambda: None)  # the test's own
    for job in jobs:
        job[0](*job[1:])

    queue = page_queue.waiting(user.pk, version=None, limit=5)
    assert queue is not None and len(queue.items) == (page_queue.pages_ahead() + 1) * 5


def test_pages_ranked_behind_an_outdated_stamp_are_never_served(user):
    videos = _catalogue(12)
    stamp = page_queue.stamp(user.pk)
    page_queue.touch(user.pk)  # the viewer changed while the pages were ranked
    page_queue.extend(
        user.pk, [page_queue.Queued(str(v.pk), {}, "a", None) for v in videos],
        stamp=stamp, version=None, limit=5,
    )  # fmt: skip

    assert page_queue.waiting(user.pk, version=None, limit=5) is None


def test_a_like_between_pages_reshapes_the_very_next_page(api, user):
    liked_creator = UserFactory()
    liked = VideoFactory(author=liked_creator)
    same_creator = VideoFactory(author=liked_creator)
    others = [VideoFactory() for _ in range(30)]
    for video in others:  # the others are more popular than the liked creator's videos
        record(UserFactory(), ("view", video, 14_000))
    client = api(user)
    first = client.get("feed/for-you", {"limit": 3}).json()
    queued = [item.video_id for item in store().get(f"feed:queue:{user.pk}").items]
    assert queued[:3] != [str(same_creator.pk)] and str(same_creator.pk) not in ids_of(first)

    record(user, ("like", liked, 0), ("view", liked, 30_000))
    second = client.get("feed/for-you", {"limit": 3, "cursor": first["next_cursor"]}).json()

    assert ids_of(second)[0] == str(same_creator.pk)


def test_a_queue_ranked_before_an_event_is_never_served(api, user):
    """An event that lands while a page is being ranked outdates the queue that page keeps."""
    _catalogue(40)
    stamp = page_queue.stamp(user.pk)
    page_queue.touch(user.pk)  # the event, between reading the stamp and keeping the queue
    page_queue.keep(
        user.pk, [page_queue.Queued(str(v.pk), {}, "a", None) for v in _catalogue(12)],
        stamp=stamp, version=None, limit=5,
    )  # fmt: skip

    assert page_queue.waiting(user.pk, version=None, limit=5) is None


@pytest.mark.parametrize("change", ["private", "blocked", "deleted", "filtered"])
def test_a_video_that_became_unservable_between_pages_is_never_served_from_the_queue(
    api, user, change
):
    _catalogue(40)
    client = api(user)
    first = client.get("feed/for-you", {"limit": 5}).json()
    queue = store().get(f"feed:queue:{user.pk}")
    victim = Video.objects.get(pk=queue.items[0].video_id)
    if change == "private":
        Video.objects.filter(pk=victim.pk).update(visibility=Visibility.PRIVATE)
    elif change == "blocked":
        BlockFactory(blocker=victim.author, blocked=user)
    elif change == "deleted":
        victim.delete()
    else:
        tag = victim.hashtags.first()
        viewer_filters_set(user=user, keywords=[], hashtags=[tag.name])

    second = client.get("feed/for-you", {"limit": 5, "cursor": first["next_cursor"]}).json()

    assert len(second["items"]) == 5
    assert str(victim.pk) not in ids_of(second)
    if change != "filtered":  # the queue was served from, without the victim
        assert second["items"][0]["video"]["id"] == queue.items[1].video_id


def test_erasing_the_account_deletes_what_the_feed_store_keeps_of_it(api, user):
    from clipdeck.privacy.erasure import account_erase

    _catalogue(40)
    client = api(user)
    first = client.get("feed/for-you", {"limit": 5}).json()
    record(user, ("like", Video.objects.get(pk=ids_of(first)[0]), 0))
    keys = [f"feed:{name}:{user.pk}" for name in ("viewer", "short", "queue", "stamp", "latest")]
    session_key = page_queue.latest(user.pk)[0].cache_key
    assert all(store().get(key) is not None for key in [*keys, session_key])

    account_erase(user=user)

    assert [key for key in [*keys, session_key] if store().get(key) is not None] == []
