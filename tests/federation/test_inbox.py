"""Inboxes: signatures required, objects validated, each activity applied once."""

from __future__ import annotations

from unittest import mock

import pytest
from django_tasks_db.models import DBTaskResult

from clipdeck.accounts.models import Block, Follow, FollowState
from clipdeck.accounts.services import follow_request_decide
from clipdeck.federation import keys
from clipdeck.federation.models import Delivery, DomainPolicy, InboundFlag, RemoteVideo
from clipdeck.federation.tasks import fetch_remote_video
from clipdeck.videos.models import Comment, Like, Video, Visibility
from tests.factories import UserFactory, VideoFactory

INBOX = "/inbox"


def follow_of(carol, user) -> dict:
    return {
        "id": f"{carol.actor.uri}#follows/1",
        "type": "Follow",
        "actor": carol.actor.uri,
        "object": f"http://testserver/ap/users/{user.pk}",
    }


def note(carol, **extra) -> dict:
    return {
        "id": f"{carol.actor.uri}/notes/1",
        "type": "Note",
        "attributedTo": carol.actor.uri,
        "content": "<p>hello @alice #cats</p>",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "attachment": [
            {"type": "Video", "mediaType": "video/mp4", "url": "https://remote.example/v.mp4"}
        ],
        **extra,
    }


def create(carol, obj) -> dict:
    return {
        "id": f"{obj['id']}/activity",
        "type": "Create",
        "actor": carol.actor.uri,
        "object": obj,
    }


def follows(user, carol) -> None:
    """``user`` follows carol, and her server accepted."""
    Follow.objects.create(follower=user, followee=carol.actor.user, state=FollowState.REQUESTED)
    Follow.objects.filter(follower=user).update(state=FollowState.FOLLOWING)


def video_uri(video) -> str:
    return f"http://testserver/ap/videos/{video.pk}"


@pytest.mark.django_db
def test_an_unsigned_post_is_refused_with_401_and_changes_nothing(client, alice, carol):
    response = client.post(INBOX, follow_of(carol, alice), content_type="application/activity+json")

    assert response.status_code == 401
    assert "signature" in response.json()["error"]
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_a_body_that_does_not_match_its_digest_is_refused(client, alice, carol):
    response = carol.post(client, INBOX, follow_of(carol, alice), HTTP_DIGEST="SHA-256=AAAA")

    assert response.status_code == 401
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_an_activity_in_someone_elses_name_is_refused(client, alice, carol):
    forged = {**follow_of(carol, alice), "actor": "https://remote.example/users/dave"}

    response = carol.post(client, INBOX, forged)

    assert response.status_code == 401
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_oversized_and_malformed_bodies_get_clear_errors(client, alice, carol):
    big = {**follow_of(carol, alice), "padding": "x" * 300_000}
    assert carol.post(client, INBOX, big).status_code == 413
    bad = client.post(INBOX, b"{not json", content_type="application/json", HTTP_SIGNATURE="x")
    assert bad.status_code == 400


@pytest.mark.django_db
def test_a_blocked_domain_is_refused(client, alice, carol):
    DomainPolicy.objects.create(domain="example", action=DomainPolicy.Action.BLOCK)

    response = carol.post(client, INBOX, follow_of(carol, alice))

    assert response.status_code == 403
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_a_remote_follow_of_a_public_account_is_accepted(client, alice, carol):
    response = carol.post(client, f"/ap/users/{alice.pk}/inbox", follow_of(carol, alice))

    assert response.status_code == 202
    assert Follow.objects.get(followee=alice).state == FollowState.FOLLOWING
    accept = Delivery.objects.get()
    assert accept.inbox == carol.actor.inbox
    assert accept.activity["type"] == "Accept"
    assert accept.activity["object"]["id"] == f"{carol.actor.uri}#follows/1"


@pytest.mark.django_db
def test_a_private_accounts_remote_follow_waits_for_approval(client, carol):
    owner = UserFactory(handle="quiet", is_private=True)

    carol.post(client, INBOX, follow_of(carol, owner))

    assert Follow.objects.get(followee=owner).state == FollowState.REQUESTED
    assert not Delivery.objects.exists()
    follow_request_decide(owner=owner, requester=carol.actor.user, approve=True)
    assert Delivery.objects.get().activity["type"] == "Accept"


@pytest.mark.django_db
def test_going_public_accepts_the_pending_remote_requests(client, carol):
    from clipdeck.accounts.services import user_update_profile

    owner = UserFactory(handle="quiet", is_private=True)
    carol.post(client, INBOX, follow_of(carol, owner))

    user_update_profile(user=owner, is_private=False)

    assert Follow.objects.get(followee=owner).state == FollowState.FOLLOWING
    assert Delivery.objects.get().activity["type"] == "Accept"


@pytest.mark.django_db
def test_a_denied_remote_follow_request_sends_reject(client, carol):
    owner = UserFactory(handle="quiet", is_private=True)
    carol.post(client, INBOX, follow_of(carol, owner))

    follow_request_decide(owner=owner, requester=carol.actor.user, approve=False)

    assert Delivery.objects.get().activity["type"] == "Reject"


@pytest.mark.django_db
def test_a_limited_domain_must_ask_to_follow(client, alice, carol):
    DomainPolicy.objects.create(domain="remote.example", action=DomainPolicy.Action.LIMIT)

    carol.post(client, INBOX, follow_of(carol, alice))

    assert Follow.objects.get(followee=alice).state == FollowState.REQUESTED


@pytest.mark.django_db
def test_a_followed_remote_video_is_stored_once_and_fetched_in_the_background(
    client, alice, carol, django_capture_on_commit_callbacks
):
    follows(alice, carol)

    with django_capture_on_commit_callbacks(execute=True):
        first = carol.post(client, INBOX, create(carol, note(carol)))
        again = carol.post(client, INBOX, create(carol, note(carol)))

    assert first.status_code == again.status_code == 202
    stored = RemoteVideo.objects.get()
    assert stored.media_url == "https://remote.example/v.mp4"
    assert stored.caption == "hello @\u2060alice #cats"  # never a mention of the local alice
    queued = DBTaskResult.objects.filter(task_path=fetch_remote_video.module_path)
    assert [row.args_kwargs["args"] for row in queued] == [[stored.pk]]


@pytest.mark.django_db
def test_videos_of_an_actor_nobody_here_follows_and_non_public_notes_are_ignored(
    client, alice, carol
):
    carol.post(client, INBOX, create(carol, note(carol)))
    follows(alice, carol)
    followers_only = note(
        carol, id=f"{carol.actor.uri}/notes/2", to=[f"{carol.actor.uri}/followers"]
    )
    carol.post(client, INBOX, create(carol, followers_only))

    assert not RemoteVideo.objects.exists()


@pytest.mark.django_db
def test_an_object_from_another_server_is_refused(client, alice, carol):
    follows(alice, carol)
    foreign = note(carol, id="https://elsewhere.example/notes/1")

    response = carol.post(client, INBOX, create(carol, foreign))

    assert response.status_code == 400
    assert not RemoteVideo.objects.exists()


@pytest.mark.django_db
def test_remote_likes_and_replies_reach_public_videos_only(client, alice, carol):
    public = VideoFactory(author=alice, mp4="videos/a.mp4")
    followers_only = VideoFactory(author=alice, mp4="videos/b.mp4", visibility=Visibility.FOLLOWERS)
    for index, video in enumerate((public, followers_only)):
        like = {
            "id": f"{carol.actor.uri}#likes/{index}",
            "type": "Like",
            "actor": carol.actor.uri,
            "object": video_uri(video),
        }
        carol.post(client, INBOX, like)
        reply = note(
            carol,
            id=f"{carol.actor.uri}/replies/{index}",
            inReplyTo=video_uri(video),
            attachment=[],
            content="<p>nice</p>",
        )
        carol.post(client, INBOX, create(carol, reply))

    assert list(Like.objects.values_list("video_id", flat=True)) == [public.pk]
    assert list(Comment.objects.values_list("video_id", "text")) == [(public.pk, "nice")]
    assert Video.objects.get(pk=public.pk).like_count == 1
    assert not Delivery.objects.exists()  # inbound engagement is never echoed back


@pytest.mark.django_db
def test_a_remote_block_hides_the_blocker_from_the_blocked(client, alice, carol):
    block = {
        "id": f"{carol.actor.uri}#blocks/1",
        "type": "Block",
        "actor": carol.actor.uri,
        "object": f"http://testserver/ap/users/{alice.pk}",
    }

    carol.post(client, INBOX, block)

    assert Block.objects.filter(blocker=carol.actor.user, blocked=alice).exists()


@pytest.mark.django_db
def test_a_remote_report_is_stored_for_moderation(client, alice, carol):
    video = VideoFactory(author=alice, mp4="videos/a.mp4")
    flag = {
        "id": f"{carol.actor.uri}#flags/1",
        "type": "Flag",
        "actor": carol.actor.uri,
        "object": [f"http://testserver/ap/users/{alice.pk}", video_uri(video)],
        "content": "spam",
    }

    carol.post(client, INBOX, flag)

    stored = InboundFlag.objects.get()
    assert (stored.account, stored.video, stored.content, stored.reporter_domain) == (
        alice,
        video,
        "spam",
        "remote.example",
    )


@pytest.mark.django_db
def test_a_rotated_key_is_fetched_again_when_the_old_one_fails(client, alice, carol):
    from datetime import timedelta

    from django.utils import timezone

    carol.actor.fetched_at = timezone.now() - timedelta(hours=1)
    carol.actor.save()
    new_public, new_private = keys._new_pair()
    document = {
        "id": carol.actor.uri,
        "type": "Person",
        "preferredUsername": "carol",
        "inbox": carol.actor.inbox,
        "publicKey": {
            "id": carol.actor.key_id,
            "owner": carol.actor.uri,
            "publicKeyPem": new_public,
        },
    }
    carol.private_pem = new_private

    with mock.patch("clipdeck.federation.remote.signed_get_json", return_value=document) as fetch:
        response = carol.post(client, INBOX, follow_of(carol, alice))

    assert response.status_code == 202
    fetch.assert_called_once_with(carol.actor.uri)
    assert Follow.objects.filter(followee=alice).exists()


@pytest.mark.django_db
def test_a_domain_sending_too_fast_gets_429(client, settings, alice, carol):
    settings.CLIPDECK_FEDERATION_INBOX_PER_MINUTE = 2
    answers = [carol.post(client, INBOX, follow_of(carol, alice)).status_code for _ in range(3)]

    assert answers == [202, 202, 429]


@pytest.mark.django_db
def test_an_actor_deleting_itself_takes_its_mirror_and_videos(client, alice, carol):
    video = VideoFactory(author=carol.actor.user, mp4="videos/r.mp4")
    RemoteVideo.objects.create(
        video=video,
        actor=carol.actor,
        uri=f"{carol.actor.uri}/notes/9",
        media_url="https://remote.example/v.mp4",
    )
    delete = {
        "id": f"{carol.actor.uri}#delete",
        "type": "Delete",
        "actor": carol.actor.uri,
        "object": carol.actor.uri,
    }

    assert carol.post(client, INBOX, delete).status_code == 202

    assert not Video.objects.filter(pk=video.pk).exists()
    assert not RemoteVideo.objects.exists()
    assert not type(alice).objects.filter(pk=carol.actor.user.pk).exists()
