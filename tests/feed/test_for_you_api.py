"""GET /api/v1/feed/for-you: items with reasons, visibility, controls and sessions."""

from __future__ import annotations

import pytest

from clipdeck.feed.models import Event, EventKind
from clipdeck.videos.models import Visibility
from tests.factories import BlockFactory, FollowFactory, SoundFactory, UserFactory, VideoFactory
from tests.feed.conftest import ids, record

pytestmark = pytest.mark.django_db


def catalog(count: int, **kwargs) -> list:
    """``count`` public videos, each by its own creator."""
    return [VideoFactory(**kwargs) for _ in range(count)]


def test_an_item_is_the_video_schema_with_a_reason(api, user):
    video = VideoFactory()

    response = api(user).get("feed/for-you")

    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["video"]["id"] == str(video.pk)
    assert item["video"]["author"]["handle"] == video.author.handle
    assert set(item["reason"]) == {"source", "label", "factors"}
    assert item["reason"]["source"] in {"trending", "fresh", "exploration"}
    assert isinstance(item["reason"]["factors"], list)


def test_pages_never_repeat_within_a_session_until_the_catalogue_runs_out(api, user):
    videos = catalog(12)
    client = api(user)

    seen, cursor = [], None
    for _ in range(5):
        body = client.get("feed/for-you", {"limit": 5, **({"cursor": cursor} if cursor else {})})
        seen += ids(body)
        cursor = body.json()["next_cursor"]
        if cursor is None:
            break

    assert sorted(seen) == sorted(str(video.pk) for video in videos)
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize("personalized", ["true", "false"])
def test_a_single_creators_videos_all_reach_the_feed(api, personalized):
    creator = UserFactory()
    videos = [VideoFactory(author=creator) for _ in range(3)]

    body = api().get("feed/for-you", {"personalized": personalized}).json()

    assert sorted(item["video"]["id"] for item in body["items"]) == sorted(
        str(video.pk) for video in videos
    )


def test_anonymous_viewers_get_a_feed_of_public_videos_only(api):
    public = VideoFactory()
    VideoFactory(visibility=Visibility.FOLLOWERS)
    VideoFactory(author=UserFactory(is_private=True))

    response = api().get("feed/for-you")

    assert ids(response) == [str(public.pk)]


def test_blocked_creators_are_never_served_either_way(api, user):
    blocked, blocker = UserFactory(), UserFactory()
    BlockFactory(blocker=user, blocked=blocked)
    BlockFactory(blocker=blocker, blocked=user)
    for author in (blocked, blocker):
        video = VideoFactory(author=author, caption="#cats")
        video.hashtags.create(name=f"cats{author.pk}")
    allowed = VideoFactory()

    response = api(user).get("feed/for-you", {"limit": 50})

    assert ids(response) == [str(allowed.pk)]


def test_a_private_accounts_videos_reach_only_approved_followers(api):
    owner = UserFactory(is_private=True)
    video = VideoFactory(author=owner)
    follower, requester, stranger = UserFactory(), UserFactory(), UserFactory()
    FollowFactory(follower=follower, followee=owner)
    FollowFactory(follower=requester, followee=owner, state="requested")

    assert ids(api(follower).get("feed/for-you")) == [str(video.pk)]
    assert ids(api(requester).get("feed/for-you")) == []
    assert ids(api(stranger).get("feed/for-you")) == []


def test_the_viewers_own_videos_are_not_recommended_to_them(api, user):
    VideoFactory(author=user)

    assert ids(api(user).get("feed/for-you")) == []


def test_not_interested_videos_are_never_served_again(api, user):
    hidden, other = VideoFactory(), VideoFactory()
    record(user, ("not_interested", hidden, 0))

    response = api(user).get("feed/for-you", {"limit": 50})

    assert ids(response) == [str(other.pk)]


def test_videos_seen_recently_are_not_served_again(api, user):
    watched, other = VideoFactory(), VideoFactory()
    record(user, ("view", watched, 15_000))

    response = api(user).get("feed/for-you", {"limit": 50})

    assert ids(response) == [str(other.pk)]


def test_a_like_reshapes_the_next_page_without_retraining(api, user):
    liked_creator = UserFactory()
    first = VideoFactory(author=liked_creator, caption="#cats")
    first.hashtags.create(name="cats")
    same_creator = VideoFactory(author=liked_creator)
    others = catalog(8)
    for video in others:  # the others are more popular than the liked creator's video
        Event.objects.bulk_create(
            [Event(user=UserFactory(), video=video, kind=EventKind.VIEW, completion_pm=900)]
        )
    record(user, ("like", first, 0), ("view", first, 30_000))

    response = api(user).get("feed/for-you", {"limit": 3})

    assert ids(response)[0] == str(same_creator.pk)
    reason = response.json()["items"][0]["reason"]
    assert f"you watch @{liked_creator.handle}'s videos" in reason["factors"]


def test_reset_forgets_the_personalisation(api, user):
    liked_creator = UserFactory()
    first = VideoFactory(author=liked_creator)
    VideoFactory(author=liked_creator)
    catalog(3)
    record(user, ("like", first, 0), ("view", first, 30_000))
    client = api(user)

    response = client.post("feed/reset")
    page = client.get("feed/for-you", {"limit": 5})

    assert response.status_code == 200
    assert all(
        not any(factor.startswith("you ") for factor in item["reason"]["factors"])
        for item in page.json()["items"]
    )
    assert str(first.pk) not in ids(page)  # still seen: reset keeps the viewer's history hidden


def test_the_non_personalised_feed_is_the_same_for_different_histories(api):
    sound = SoundFactory()
    videos = catalog(6, sound=sound)
    cat_video = videos[0]
    cat_video.hashtags.create(name="cats")
    fan, stranger = UserFactory(), UserFactory()
    record(fan, ("like", cat_video, 0), ("share", videos[1], 0))
    FollowFactory(follower=fan, followee=videos[2].author)

    fans = api(fan).get("feed/for-you", {"personalized": "false", "limit": 10})
    strangers = api(stranger).get("feed/for-you", {"personalized": "false", "limit": 10})

    assert ids(fans) == ids(strangers)
    assert {item["reason"]["source"] for item in fans.json()["items"]} <= {"trending", "fresh"}
    assert all(
        not factor.startswith("you ")
        for item in fans.json()["items"]
        for factor in item["reason"]["factors"]
    )


def test_a_tampered_cursor_is_refused(api, user):
    VideoFactory()

    response = api(user).get("feed/for-you", {"cursor": "abc"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_cursor"


def test_another_viewers_cursor_is_refused(api, user):
    catalog(3)
    cursor = api(user).get("feed/for-you", {"limit": 1}).json()["next_cursor"]

    response = api(UserFactory()).get("feed/for-you", {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "cursor"


def test_the_limit_is_enforced(api, user):
    response = api(user).get("feed/for-you", {"limit": 500})

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "limit"


def test_reset_needs_a_signed_in_user(api):
    assert api().post("feed/reset").status_code == 401


def _queries_for_page(api, user, videos: int) -> int:
    from django.core.cache import cache, caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clipdeck.feed import shared

    for _ in range(videos):
        video = VideoFactory(sound=SoundFactory())
        video.hashtags.create(name=f"tag{video.pk.hex[:8]}")
    client = api(user)
    cache.clear()  # both pages compute the shared lists and the viewer's state
    caches["feed"].clear()
    shared._seen_generation["checked"] = None  # both look for invalidations elsewhere
    with CaptureQueriesContext(connection) as queries:
        assert client.get("feed/for-you", {"limit": 20}).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_page(api, user):
    few = _queries_for_page(api, user, 3)

    many = _queries_for_page(api, UserFactory(), 30)

    assert many == few
