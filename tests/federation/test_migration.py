"""Aliases, moving away, graph files, and the operator's domain rules."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from clipdeck.accounts.models import Block, Follow, FollowState
from clipdeck.federation import migration
from clipdeck.federation.models import AccountMove, Delivery, DomainPolicy
from clipdeck.kernel.errors import Conflict, InvalidInput
from clipdeck.videos.models import Like
from tests.factories import UserFactory, VideoFactory
from tests.federation.conftest import make_remote

pytestmark = pytest.mark.django_db


def test_graph_files_round_trip_between_accounts_of_this_cell(api, alice, bob):
    friend, pest = UserFactory(handle="friend"), UserFactory(handle="pest")
    video = VideoFactory(author=friend, mp4="videos/a.mp4")
    Follow.objects.create(follower=alice, followee=friend, state=FollowState.FOLLOWING)
    Block.objects.create(blocker=alice, blocked=pest)
    Like.objects.create(user=alice, video=video)

    files = {
        kind: api(alice).get(f"/api/v1/federation/export/{kind}").content
        for kind in migration.KINDS
    }
    results = {}
    for kind, body in files.items():
        upload = io.BytesIO(body)
        upload.name = f"{kind}.csv"
        results[kind] = (
            api(bob)
            .post(f"/api/v1/federation/import/{kind}", {"file": upload}, multipart=True)
            .json()
        )

    assert files["follows"].decode().splitlines() == [
        "Account address,Show boosts",
        "friend@testserver,true",
    ]
    assert results == {kind: {"done": 1, "failed": 0} for kind in migration.KINDS}
    assert Follow.objects.filter(follower=bob, followee=friend).exists()
    assert Block.objects.filter(blocker=bob, blocked=pest).exists()
    assert Like.objects.filter(user=bob, video=video).exists()


def test_an_import_row_that_names_nobody_is_counted_not_fatal(alice):
    result = migration.import_csv(
        user=alice, kind="follows", text="nobody@testserver\nnot an account\n"
    )

    assert result == {"done": 0, "failed": 2}


def test_export_and_import_need_a_known_kind_and_a_signed_in_owner(api, alice):
    refused = api(alice).get("/api/v1/federation/export/passwords")
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == "Export one of follows, blocks, favourites."
    assert api().get("/api/v1/federation/export/follows").status_code == 401


def test_moving_needs_the_new_account_to_name_the_old_one(alice):
    carol = make_remote()
    with pytest.raises(InvalidInput):
        migration.account_move(user=alice, target="someone@testserver")
    from unittest import mock

    document = {
        "id": carol.actor.uri,
        "type": "Person",
        "preferredUsername": "carol",
        "inbox": carol.actor.inbox,
        "publicKey": {
            "id": carol.actor.key_id,
            "owner": carol.actor.uri,
            "publicKeyPem": carol.actor.public_pem,
        },
    }
    with mock.patch("clipdeck.federation.remote.signed_get_json", return_value=document):
        with pytest.raises(Conflict):
            migration.account_move(user=alice, target=carol.actor.uri)
        document["alsoKnownAs"] = [f"http://testserver/ap/users/{alice.pk}"]
        document["url"] = "https://remote.example/@carol"
        Follow.objects.create(
            follower=make_remote("dan", "other.example").actor.user,
            followee=alice,
            state=FollowState.FOLLOWING,
        )
        move = migration.account_move(user=alice, target=carol.actor.uri)

    assert move.moved_to == carol.actor.uri
    (announced,) = Delivery.objects.filter(activity__type="Move")
    assert announced.activity["target"] == carol.actor.uri
    assert announced.domain == "other.example"


def test_a_moved_profile_redirects_and_its_actor_says_where(client, alice):
    AccountMove.objects.create(
        user=alice,
        moved_to="https://new.example/users/a",
        moved_to_profile="https://new.example/@a",
    )

    assert client.get("/@alice")["Location"] == "https://new.example/@a"
    assert (
        client.get("/@alice", HTTP_ACCEPT="application/activity+json").json()["movedTo"]
        == "https://new.example/users/a"
    )


def test_aliases_are_listed_in_the_actor(api, client, alice, bob):
    answer = api(alice).put("/api/v1/federation/aliases", {"aliases": ["bob@testserver"]})

    assert answer.json() == {"also_known_as": [f"http://testserver/ap/users/{bob.pk}"]}
    assert client.get(f"/ap/users/{alice.pk}").json()["alsoKnownAs"] == [
        f"http://testserver/ap/users/{bob.pk}"
    ]


def test_an_operator_blocks_a_domain_and_its_follows_end_without_a_word_sent(alice):
    carol = make_remote()
    Follow.objects.create(follower=carol.actor.user, followee=alice, state=FollowState.FOLLOWING)
    out = io.StringIO()

    call_command("federation_domain", "block", "remote.example", reason="spam", stdout=out)

    assert out.getvalue().strip() == "blocked remote.example"
    assert DomainPolicy.objects.get().action == "block"
    assert not Follow.objects.exists()
    assert not Delivery.objects.exists()
    call_command("federation_domain", "lift", "remote.example", stdout=out)
    assert not DomainPolicy.objects.exists()


def test_a_bad_domain_name_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a domain name"):
        call_command("federation_domain", "block", "not a domain!")
