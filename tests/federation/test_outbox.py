"""What leaves the cell: only public videos of public accounts, and the social graph's signals."""

from __future__ import annotations

import pytest

from clipdeck.accounts.models import Follow, FollowState
from clipdeck.accounts.services import block_create, follow_create, user_update_profile
from clipdeck.federation.models import Delivery, RemoteVideo
from clipdeck.videos.models import Visibility
from clipdeck.videos.services import comment_create, like_create, video_update
from tests.factories import UserFactory, VideoFactory
from tests.federation.conftest import make_remote


def remote_follower(user, carol) -> None:
    Follow.objects.create(follower=carol.actor.user, followee=user, state=FollowState.FOLLOWING)


def sent(kind: str) -> list[dict]:
    return [d.activity for d in Delivery.objects.order_by("pk") if d.activity["type"] == kind]


@pytest.mark.django_db
def test_a_public_video_leaves_as_a_note_with_a_video_attachment(alice, carol):
    remote_follower(alice, carol)

    video = VideoFactory(author=alice, mp4="videos/a.mp4", caption="first #cats with @bob")

    (create,) = sent("Create")
    note = create["object"]
    assert create["actor"] == f"http://testserver/ap/users/{alice.pk}"
    assert note["type"] == "Note"
    assert note["id"] == f"http://testserver/ap/videos/{video.pk}"
    assert note["attachment"][0]["type"] == "Video"
    assert note["attachment"][0]["mediaType"] == "video/mp4"
    assert note["attachment"][0]["url"].startswith(f"http://testserver/media/v/{video.pk}/mp4")
    assert {"type": "Hashtag", "href": "http://testserver/tag/cats", "name": "#cats"} in note["tag"]
    assert note["to"] == ["https://www.w3.org/ns/activitystreams#Public"]
    assert Delivery.objects.get().inbox == carol.actor.shared_inbox


@pytest.mark.django_db
@pytest.mark.parametrize("visibility", [Visibility.FOLLOWERS, Visibility.PRIVATE])
def test_a_followers_only_or_private_video_never_leaves(alice, carol, visibility):
    remote_follower(alice, carol)

    VideoFactory(author=alice, mp4="videos/a.mp4", visibility=visibility)

    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_no_video_of_a_private_account_leaves(carol):
    owner = UserFactory(is_private=True)
    remote_follower(owner, carol)

    VideoFactory(author=owner, mp4="videos/a.mp4")

    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_a_video_that_stops_being_public_is_deleted_remotely_and_edits_are_updates(alice, carol):
    remote_follower(alice, carol)
    video = VideoFactory(author=alice, mp4="videos/a.mp4")

    video_update(video=video, caption="new words")
    video_update(video=video, visibility=Visibility.FOLLOWERS)
    video_update(video=video, caption="still followers only")

    assert [
        a["type"] for a in Delivery.objects.order_by("pk").values_list("activity", flat=True)
    ] == [
        "Create",
        "Update",
        "Delete",
    ]
    assert sent("Delete")[0]["object"] == {
        "id": f"http://testserver/ap/videos/{video.pk}",
        "type": "Tombstone",
    }


@pytest.mark.django_db
def test_going_private_takes_every_published_video_back(alice, carol):
    remote_follower(alice, carol)
    VideoFactory(author=alice, mp4="videos/a.mp4")

    user_update_profile(user=alice, is_private=True)

    assert len(sent("Delete")) == 1


@pytest.mark.django_db
def test_following_a_remote_account_asks_its_server(alice, carol):
    follow = follow_create(follower=alice, followee=carol.actor.user)

    follow.refresh_from_db()
    assert follow.state == FollowState.REQUESTED
    (activity,) = sent("Follow")
    assert activity["object"] == carol.actor.uri
    assert Delivery.objects.get().inbox == carol.actor.inbox


@pytest.mark.django_db
def test_likes_comments_and_blocks_of_remote_content_travel_to_its_server(alice, carol):
    video = VideoFactory(author=carol.actor.user, mp4="videos/r.mp4")
    RemoteVideo.objects.create(
        video=video,
        actor=carol.actor,
        uri="https://remote.example/notes/1",
        media_url="https://remote.example/v.mp4",
    )

    like_create(user=alice, video=video)
    comment_create(author=alice, video=video, text="lovely")
    block_create(blocker=alice, blocked=carol.actor.user)

    assert sent("Like")[0]["object"] == "https://remote.example/notes/1"
    reply = sent("Create")[0]["object"]
    assert (reply["inReplyTo"], reply["content"]) == (
        "https://remote.example/notes/1",
        "<p>lovely</p>",
    )
    assert sent("Block")[0]["object"] == carol.actor.uri
    assert set(Delivery.objects.values_list("inbox", flat=True)) == {carol.actor.inbox}


@pytest.mark.django_db
def test_engagement_of_local_users_on_local_videos_stays_home(alice, bob):
    video = VideoFactory(author=alice, mp4="videos/a.mp4")

    like_create(user=bob, video=video)
    comment_create(author=bob, video=video, text="hi")
    make_remote()  # a remote actor exists, but follows nobody

    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_a_forwarded_report_comes_from_the_instance_never_the_reporter(carol):
    from clipdeck.federation import outbox

    outbox.flag(remote=carol.actor, object_uris=["https://remote.example/notes/1"], content="spam")

    row = Delivery.objects.get()
    assert row.signer is None
    assert row.activity["actor"] == "http://testserver/actor"
    assert row.activity["object"] == [carol.actor.uri, "https://remote.example/notes/1"]
    assert row.inbox == carol.actor.inbox
