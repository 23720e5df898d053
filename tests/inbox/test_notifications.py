"""Notifications: who is told what, grouping, read state, blocks and visibility."""

from __future__ import annotations

import pytest
from django.utils import timezone

from clipdeck.accounts import services as accounts
from clipdeck.inbox.models import Notification
from clipdeck.inbox.services import RETENTION, notifications_prune, notify
from clipdeck.videos import services as videos
from clipdeck.videos.models import Visibility
from tests.factories import BlockFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(django_capture_on_commit_callbacks):
    """Run on-commit work (notifications are written on commit)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def _inbox(api, user) -> dict:
    response = api(user).get("me/notifications")
    assert response.status_code == 200, response.content
    return response.json()


def test_likes_are_grouped_with_the_latest_liker_first(api, alice, live):
    video = VideoFactory(author=alice)
    maya = UserFactory(handle="maya")
    for _ in range(12):
        live(lambda: videos.like_create(user=UserFactory(), video=video))
    live(lambda: videos.like_create(user=maya, video=video))

    inbox = _inbox(api, alice)
    assert inbox["unread"] == 1
    [item] = inbox["items"]
    assert (item["type"], item["actor"]["handle"], item["others"]) == ("like", "maya", 12)
    assert item["text"] == "@maya and 12 others liked your video"


def test_a_like_after_reading_starts_a_new_group(api, alice, bob, live):
    video = VideoFactory(author=alice)
    live(lambda: videos.like_create(user=bob, video=video))
    first = _inbox(api, alice)["items"][0]["id"]
    api(alice).post("me/notifications/read", {"up_to": first})
    live(lambda: videos.like_create(user=UserFactory(handle="carol"), video=video))

    items = _inbox(api, alice)["items"]
    assert [(i["actor"]["handle"], i["read"]) for i in items] == [("carol", False), ("bob", True)]


def test_comments_replies_and_mentions_reach_the_right_people(api, alice, bob, live):
    carol = UserFactory(handle="carol")
    video = VideoFactory(author=alice)
    top = live(lambda: videos.comment_create(author=bob, video=video, text="nice"))
    live(
        lambda: videos.comment_create(author=carol, video=video, text="agreed @alice", reply_to=top)
    )

    assert [(i["type"], i["actor"]["handle"]) for i in _inbox(api, alice)["items"]] == [
        ("comment", "carol"),
        ("comment", "bob"),
    ]
    [reply] = _inbox(api, bob)["items"]
    assert reply["type"] == "reply"
    assert reply["text"] == "@carol replied to your comment: “agreed @alice”"


def test_follows_requests_and_approvals(api, alice, bob, live):
    private = UserFactory(handle="priv", is_private=True)
    live(lambda: accounts.follow_create(follower=bob, followee=alice))
    live(lambda: accounts.follow_create(follower=bob, followee=private))
    live(lambda: accounts.follow_request_decide(owner=private, requester=bob, approve=True))

    assert [i["type"] for i in _inbox(api, alice)["items"]] == ["follow"]
    assert [i["type"] for i in _inbox(api, private)["items"]] == ["follow_request"]
    assert [i["type"] for i in _inbox(api, bob)["items"]] == ["follow_approved"]


def test_nothing_comes_from_a_blocked_account_either_way(api, alice, bob, live):
    video = VideoFactory(author=alice)
    BlockFactory(blocker=alice, blocked=bob)
    live(lambda: notify(alice, "like", actor=bob, video=video))
    assert not Notification.objects.filter(recipient=alice).exists()


def test_a_block_after_the_fact_hides_the_old_notifications(api, alice, bob, live):
    video = VideoFactory(author=alice)
    live(lambda: videos.like_create(user=bob, video=video))
    accounts.block_create(blocker=bob, blocked=alice)
    assert _inbox(api, alice) == {"items": [], "unread": 0, "next_cursor": None}


def test_nothing_about_a_video_the_recipient_may_no_longer_see(api, alice, bob, live):
    video = VideoFactory(author=bob)
    live(lambda: notify(alice, "mention", actor=bob, video=video))
    videos.video_update(video=video, visibility=Visibility.PRIVATE)
    assert _inbox(api, alice)["items"] == []
    live(lambda: notify(alice, "mention", actor=bob, video=video))
    assert Notification.objects.filter(recipient=alice).count() == 1  # the new one never written


def test_a_rolled_back_change_notifies_nobody(alice, bob):
    video = VideoFactory(author=alice)
    videos.like_create(user=bob, video=video)  # the test's transaction never commits
    assert not Notification.objects.exists()


def test_mark_read_up_to_and_only_your_own(api, alice, bob, live):
    video = VideoFactory(author=alice)
    for _ in range(2):
        live(lambda: videos.comment_create(author=bob, video=video, text="hey"))
    items = _inbox(api, alice)["items"]
    assert api(alice).post("me/notifications/read", {"up_to": items[1]["id"]}).json() == {
        "marked": 1,
        "unread": 1,
    }
    response = api(bob).post("me/notifications/read", {"up_to": items[0]["id"]})
    assert response.status_code == 400
    assert api(alice).get("me/notifications/unread").json() == {"unread": 1}
    assert api().get("me/notifications").status_code == 401


def test_order_and_moderation_news_carry_their_message(api, alice, live):
    live(lambda: notify(alice, "moderation", message="Your video was restricted: spam."))
    [item] = _inbox(api, alice)["items"]
    assert (item["type"], item["text"], item["actor"]) == (
        "moderation",
        "Your video was restricted: spam.",
        None,
    )


def test_an_unknown_type_is_a_programming_error(alice):
    with pytest.raises(ValueError, match="unknown notification type"):
        notify(alice, "poke")


def test_the_pruner_deletes_what_is_past_retention(alice, bob, live):
    live(lambda: notify(alice, "follow", actor=bob))
    Notification.objects.update(created_at=timezone.now() - RETENTION - timezone.timedelta(days=1))
    assert notifications_prune() == 1
    assert not Notification.objects.exists()


def test_duets_notify_the_original_creator(api, alice, bob, live):
    source = VideoFactory(author=alice)
    duet = VideoFactory(author=bob, remix_of=source, remix_kind="duet", status="draft")
    live(lambda: videos.video_publish(video=duet))
    [item] = _inbox(api, alice)["items"]
    assert (item["type"], item["text"]) == ("duet", "@bob duetted your video")
