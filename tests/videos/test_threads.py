"""Threads: replies one level deep, comment likes, pins, deleting; favourites and profile pins."""

from __future__ import annotations

import pytest

from clipdeck.videos.models import Comment, Video, Visibility
from tests.factories import BlockFactory, CommentFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(alice):
    return VideoFactory(author=alice)


def _comment(api, user, video, text, reply_to=None):
    body = {"text": text} | ({"reply_to": reply_to} if reply_to else {})
    response = api(user).post(f"videos/{video.pk}/comments", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_a_reply_joins_the_thread_and_is_counted(api, alice, bob, video):
    top = _comment(api, bob, video, "first!")
    reply = _comment(api, alice, video, "thanks", reply_to=top["id"])
    deeper = _comment(api, bob, video, "welcome", reply_to=reply["id"])

    assert reply["reply_to"] == top["id"]
    assert deeper["reply_to"] == top["id"]  # one level deep
    listed = api().get(f"videos/{video.pk}/comments").json()["items"]
    assert [(c["id"], c["reply_count"]) for c in listed] == [(top["id"], 2)]
    replies = api().get(f"comments/{top['id']}/replies").json()["items"]
    assert [r["text"] for r in replies] == ["thanks", "welcome"]
    assert Video.objects.get(pk=video.pk).comment_count == 3


def test_a_reply_to_a_comment_on_another_video_is_refused(api, alice, bob, video):
    elsewhere = CommentFactory(video=VideoFactory(author=alice))
    response = api(bob).post(
        f"videos/{video.pk}/comments", {"text": "hi", "reply_to": elsewhere.pk}
    )
    assert response.status_code == 400
    assert "same video" in response.json()["error"]["message"]
    assert not Comment.objects.filter(video=video).exists()


def test_replies_of_a_comment_on_a_video_one_may_not_see_are_a_404(api, alice, bob):
    hidden = VideoFactory(author=alice, visibility=Visibility.PRIVATE)
    comment = CommentFactory(video=hidden, author=alice)
    assert api(bob).get(f"comments/{comment.pk}/replies").status_code == 404
    assert api(bob).post(f"comments/{comment.pk}/like").status_code == 404


def test_comment_likes_count_once_and_show_the_viewers_state(api, alice, bob, video):
    comment = CommentFactory(video=video, author=alice)
    assert api(bob).post(f"comments/{comment.pk}/like").json() == {"liked": True, "count": 1}
    assert api(bob).post(f"comments/{comment.pk}/like").json() == {"liked": True, "count": 1}
    listed = api(bob).get(f"videos/{video.pk}/comments").json()["items"]
    assert listed[0]["liked"] is True and listed[0]["like_count"] == 1
    assert api().get(f"videos/{video.pk}/comments").json()["items"][0]["liked"] is False
    assert api(bob).delete(f"comments/{comment.pk}/like").json() == {"liked": False, "count": 0}


def test_the_videos_owner_deletes_any_comment_others_only_their_own(api, alice, bob, video):
    carol = UserFactory()
    top = _comment(api, bob, video, "hello")
    _comment(api, carol, video, "hi bob", reply_to=top["id"])

    assert api(carol).delete(f"comments/{top['id']}").status_code == 404
    assert Comment.objects.filter(pk=top["id"]).exists()
    assert api(alice).delete(f"comments/{top['id']}").status_code == 204
    assert not Comment.objects.filter(video=video).exists()  # the reply went with it
    assert Video.objects.get(pk=video.pk).comment_count == 0


def test_deleting_a_reply_updates_the_threads_count(api, bob, video):
    top = _comment(api, bob, video, "hello")
    reply = _comment(api, bob, video, "me again", reply_to=top["id"])
    assert api(bob).delete(f"comments/{reply['id']}").status_code == 204
    assert Comment.objects.get(pk=top["id"]).reply_count == 0
    assert Video.objects.get(pk=video.pk).comment_count == 1


def test_only_the_owner_pins_and_a_new_pin_replaces_the_old(api, alice, bob, video):
    first, second = CommentFactory(video=video), CommentFactory(video=video)
    assert api(bob).post(f"comments/{first.pk}/pin").status_code == 404
    assert api(alice).post(f"comments/{first.pk}/pin").json()["pinned"] is True
    assert api(alice).post(f"comments/{second.pk}/pin").json()["pinned"] is True
    pinned = Comment.objects.filter(video=video, pinned_at__isnull=False)
    assert list(pinned.values_list("pk", flat=True)) == [second.pk]


def test_a_blocked_commenters_comment_is_hidden_and_cannot_be_liked(api, alice, bob, video):
    comment = CommentFactory(video=video, author=bob)
    BlockFactory(blocker=alice, blocked=bob)
    assert api(alice).post(f"comments/{comment.pk}/like").status_code == 404


def test_favourites_are_seen_only_by_their_owner(api, alice, bob, video):
    assert api(bob).post(f"videos/{video.pk}/favorite").json() == {"saved": True}
    mine = api(bob).get("me/favorites").json()["items"]
    assert [v["id"] for v in mine] == [str(video.pk)]
    assert api(alice).get("me/favorites").json()["items"] == []
    assert api().get("me/favorites").status_code == 401


def test_a_favourite_that_became_private_drops_out(api, alice, bob, video):
    api(bob).post(f"videos/{video.pk}/favorite")
    Video.objects.filter(pk=video.pk).update(visibility=Visibility.PRIVATE)
    assert api(bob).get("me/favorites").json()["items"] == []


def test_at_most_three_pins_and_only_your_own(api, alice, bob):
    videos = [VideoFactory(author=alice) for _ in range(4)]
    for v in videos[:3]:
        assert api(alice).post(f"videos/{v.pk}/pin").json() == {"pinned": True}
    response = api(alice).post(f"videos/{videos[3].pk}/pin")
    assert response.status_code == 409
    assert "at most 3" in response.json()["error"]["message"]
    assert api(bob).post(f"videos/{videos[0].pk}/pin").status_code == 404
    assert api(alice).delete(f"videos/{videos[0].pk}/pin").json() == {"pinned": False}
    assert api(alice).post(f"videos/{videos[3].pk}/pin").json() == {"pinned": True}
