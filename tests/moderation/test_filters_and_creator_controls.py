"""Viewer filters in every feed, hashtag and sound page and comments; creator comment controls."""

from __future__ import annotations

import pytest
from django.test import Client

from clipdeck.videos.filters import without_filtered_videos
from clipdeck.videos.models import Comment, Hashtag, Sound, Video
from tests.factories import FollowFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _recsys_dir(settings, tmp_path):
    settings.CLIPDECK_RECSYS_DIR = tmp_path / "recsys"


@pytest.fixture
def viewer(author):
    viewer = UserFactory(handle="vic")
    FollowFactory(follower=viewer, followee=author)
    return viewer


@pytest.fixture
def spoiler(author):
    sound = Sound.objects.create(title="Theme")
    video = VideoFactory(author=author, caption="the finale SPOILERS #tv", sound=sound)
    video.hashtags.add(Hashtag.objects.get_or_create(name="tv")[0])
    return video


@pytest.fixture
def tagged(author):
    video = VideoFactory(author=author, caption="cute #cats")
    video.hashtags.add(Hashtag.objects.get_or_create(name="cats")[0])
    return video


def _ids(response) -> set[str]:
    return {(i.get("video") or i)["id"] for i in response.json()["items"]}


def test_filters_are_saved_cleaned_and_read_back(api, viewer):
    saved = api(viewer).put(
        "me/filters", {"keywords": [" Spoilers ", "spoilers"], "hashtags": ["#Cats"]}
    )

    assert saved.status_code == 200
    assert saved.json() == {"keywords": ["spoilers"], "hashtags": ["cats"]}
    assert api(viewer).get("me/filters").json() == saved.json()
    assert api(UserFactory()).get("me/filters").json() == {"keywords": [], "hashtags": []}


def test_a_bad_hashtag_is_refused_and_the_old_filters_stay(api, viewer):
    api(viewer).put("me/filters", {"keywords": ["x"], "hashtags": []})

    response = api(viewer).put("me/filters", {"keywords": [], "hashtags": ["no spaces"]})

    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_hashtag"
    assert api(viewer).get("me/filters").json()["keywords"] == ["x"]


def test_filters_hide_matching_videos_in_every_feed_and_page(api, viewer, author, spoiler, tagged):
    plain = VideoFactory(author=author, caption="just a walk")
    api(viewer).put("me/filters", {"keywords": ["spoilers"], "hashtags": ["cats"]})
    web = Client()
    web.force_login(viewer)

    for_you = _ids(api(viewer).get("feed/for-you", {"limit": 50}))
    following = _ids(api(viewer).get("feed/following"))
    sound_page = _ids(api(viewer).get(f"sounds/{spoiler.sound_id}/videos"))
    tag_tv = web.get("/tag/tv").content.decode()
    tag_cats = web.get("/tag/cats").content.decode()

    assert str(plain.pk) in for_you and str(plain.pk) in following
    for ids in (for_you, following, sound_page):
        assert str(spoiler.pk) not in ids and str(tagged.pk) not in ids
    assert str(spoiler.pk) not in tag_tv and str(tagged.pk) not in tag_cats
    # A preference, not a rule: a direct link still opens, and others still see them.
    assert api(viewer).get(f"videos/{spoiler.pk}").status_code == 200
    assert str(spoiler.pk) in _ids(api(UserFactory()).get(f"sounds/{spoiler.sound_id}/videos"))


def test_search_can_apply_the_same_filters_with_one_function(viewer, spoiler, tagged, api):
    api(viewer).put("me/filters", {"keywords": ["finale"], "hashtags": []})

    shown = without_filtered_videos(Video.objects.visible_to(viewer), viewer)

    assert set(shown.values_list("pk", flat=True)) == {tagged.pk}
    assert without_filtered_videos(Video.objects.all(), None).count() == 2


def test_filters_hide_matching_comments(api, viewer, author, tagged):
    api(UserFactory(handle="x1")).post(
        f"videos/{tagged.pk}/comments", {"text": "Big SPOILER ahead"}
    )
    api(UserFactory(handle="x2")).post(f"videos/{tagged.pk}/comments", {"text": "lovely"})
    api(viewer).put("me/filters", {"keywords": ["spoiler"], "hashtags": []})

    texts = [c["text"] for c in api(viewer).get(f"videos/{tagged.pk}/comments").json()["items"]]

    assert texts == ["lovely"]


def test_comments_from_followers_only_and_nobody(api, author, tagged, viewer):
    stranger = UserFactory(handle="stranger")
    api(author).patch("me", {"comments_from": "followers"})

    refused = api(stranger).post(f"videos/{tagged.pk}/comments", {"text": "hi"})
    allowed = api(viewer).post(f"videos/{tagged.pk}/comments", {"text": "hi"})
    api(author).patch("me", {"comments_from": "nobody"})
    closed = api(viewer).post(f"videos/{tagged.pk}/comments", {"text": "again"})
    bad = api(author).patch("me", {"comments_from": "friends"})

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "comments_followers_only"
    assert allowed.status_code == 201
    assert closed.status_code == 403 and closed.json()["error"]["code"] == "comments_closed"
    assert bad.status_code == 422
    assert api(author).get("me").json()["comments_from"] == "nobody"


def test_a_filtered_comment_is_held_until_the_creator_approves_it(api, author, tagged, viewer):
    api(author).patch("me", {"comment_filter_keywords": ["Scam"]})
    stranger = UserFactory(handle="stranger")

    held = api(viewer).post(f"videos/{tagged.pk}/comments", {"text": "not a scam, click"}).json()
    listed_to_stranger = api(stranger).get(f"videos/{tagged.pk}/comments").json()["items"]
    listed_to_writer = api(viewer).get(f"videos/{tagged.pk}/comments").json()["items"]
    waiting = api(author).get("me/held-comments").json()
    foreign = api(stranger).post(f"comments/{held['id']}/approve")
    approved = api(author).post(f"comments/{held['id']}/approve")

    assert held["held"] is True
    assert listed_to_stranger == []
    assert [c["id"] for c in listed_to_writer] == [held["id"]]
    assert [c["id"] for c in waiting] == [held["id"]]
    assert foreign.status_code == 404
    assert approved.status_code == 200 and approved.json()["held"] is False
    assert [c["id"] for c in api(stranger).get(f"videos/{tagged.pk}/comments").json()["items"]] == [
        held["id"]
    ]
    tagged.refresh_from_db()
    assert tagged.comment_count == 1


def test_the_creator_deletes_any_comment_on_their_video_and_nobody_else_can(
    api, author, tagged, viewer
):
    comment = api(viewer).post(f"videos/{tagged.pk}/comments", {"text": "meh"}).json()
    stranger = UserFactory(handle="stranger")

    by_stranger = api(stranger).delete(f"comments/{comment['id']}")
    by_creator = api(author).delete(f"comments/{comment['id']}")
    again = api(author).delete(f"comments/{comment['id']}")

    assert by_stranger.status_code == 404
    assert by_creator.status_code == 204
    assert again.status_code == 404
    assert not Comment.objects.exists()
    tagged.refresh_from_db()
    assert tagged.comment_count == 0


def test_the_writer_deletes_their_own_comment(api, tagged, viewer):
    comment = api(viewer).post(f"videos/{tagged.pk}/comments", {"text": "oops"}).json()

    assert api(viewer).delete(f"comments/{comment['id']}").status_code == 204
