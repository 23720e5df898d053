"""Follows, follow requests, blocks, and follower/following lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clipdeck.accounts.models import Block, Follow, FollowState
from tests.factories import BlockFactory, FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "field"}
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"][0].isalpha() and len(error["message"].split()) >= 2


def follow_state(follower, followee) -> str | None:
    return (
        Follow.objects.filter(follower=follower, followee=followee)
        .values_list("state", flat=True)
        .first()
    )


def handles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["handle"] for item in response.json()["items"]]


# --- follow -------------------------------------------------------------------


def test_following_a_public_account_follows_at_once(api):
    fan, star = UserFactory(), UserFactory()

    response = api(fan).post(f"users/{star.handle}/follow")

    assert response.status_code == 200
    assert response.json() == {"state": "following"}
    assert follow_state(fan, star) == FollowState.FOLLOWING


def test_following_a_private_account_asks_for_approval(api):
    fan, owner = UserFactory(), UserFactory(is_private=True)

    response = api(fan).post(f"users/{owner.handle}/follow")

    assert response.json() == {"state": "requested"}
    assert follow_state(fan, owner) == FollowState.REQUESTED


@pytest.mark.parametrize(("private", "state"), [(False, "following"), (True, "requested")])
def test_following_twice_changes_nothing(api, private, state):
    fan, owner = UserFactory(), UserFactory(is_private=private)
    api(fan).post(f"users/{owner.handle}/follow")

    response = api(fan).post(f"users/{owner.handle.upper()}/follow")

    assert response.json() == {"state": state}
    assert Follow.objects.filter(follower=fan, followee=owner).count() == 1


def test_following_yourself_is_refused(api, user):
    response = api(user).post(f"users/{user.handle}/follow")

    assert_error(response, 400, "follow_self", "handle")
    assert Follow.objects.count() == 0


def test_following_an_unknown_account_is_404(api, user):
    assert_error(api(user).post("users/nobody_here/follow"), 404, "not_found")
    assert Follow.objects.count() == 0


def test_unfollow_removes_the_follow(api):
    fan, star = UserFactory(), UserFactory()
    FollowFactory(follower=fan, followee=star)

    response = api(fan).delete(f"users/{star.handle}/follow")

    assert response.status_code == 200
    assert response.json() == {"state": "none"}
    assert follow_state(fan, star) is None


def test_unfollow_withdraws_a_pending_request(api):
    fan, owner = UserFactory(), UserFactory(is_private=True)
    FollowFactory(follower=fan, followee=owner, state=FollowState.REQUESTED)

    api(fan).delete(f"users/{owner.handle}/follow")

    assert follow_state(fan, owner) is None


# --- follow requests ----------------------------------------------------------


def test_follow_requests_lists_pending_requests_newest_first(api):
    owner = UserFactory(is_private=True)
    now = timezone.now()
    older, newer = UserFactory(handle="older"), UserFactory(handle="newer")
    FollowFactory(
        follower=older,
        followee=owner,
        state=FollowState.REQUESTED,
        created_at=now - timedelta(minutes=5),
    )
    FollowFactory(follower=newer, followee=owner, state=FollowState.REQUESTED, created_at=now)
    FollowFactory(followee=owner, state=FollowState.FOLLOWING)

    response = api(owner).get("me/follow-requests")

    assert response.status_code == 200
    body = response.json()
    assert [item["user"]["handle"] for item in body["items"]] == ["newer", "older"]
    assert body["next_cursor"] is None
    assert set(body["items"][0]) == {"user", "created_at"}


def test_approving_a_request_makes_the_requester_a_follower(api):
    owner, fan = UserFactory(is_private=True), UserFactory()
    FollowFactory(follower=fan, followee=owner, state=FollowState.REQUESTED)

    response = api(owner).post(f"me/follow-requests/{fan.handle}/approve")

    assert response.json() == {"ok": True}
    assert follow_state(fan, owner) == FollowState.FOLLOWING
    assert handles(api(owner).get("me/follow-requests")) == []


def test_denying_a_request_removes_it(api):
    owner, fan = UserFactory(is_private=True), UserFactory()
    FollowFactory(follower=fan, followee=owner, state=FollowState.REQUESTED)

    response = api(owner).post(f"me/follow-requests/{fan.handle}/deny")

    assert response.json() == {"ok": True}
    assert follow_state(fan, owner) is None


@pytest.mark.parametrize("decision", ["approve", "deny"])
def test_deciding_a_request_that_does_not_exist_is_404(api, decision):
    owner, stranger = UserFactory(is_private=True), UserFactory()
    FollowFactory(followee=owner, state=FollowState.REQUESTED)

    unknown = api(owner).post(f"me/follow-requests/nobody_here/{decision}")
    not_requested = api(owner).post(f"me/follow-requests/{stranger.handle}/{decision}")

    assert_error(unknown, 404, "not_found")
    assert_error(not_requested, 404, "not_found")
    assert Follow.objects.filter(followee=owner, state=FollowState.REQUESTED).count() == 1
    assert follow_state(stranger, owner) is None


def test_one_cannot_approve_a_request_made_to_someone_else(api):
    owner, other_owner, fan = UserFactory(is_private=True), UserFactory(), UserFactory()
    FollowFactory(follower=fan, followee=owner, state=FollowState.REQUESTED)

    response = api(other_owner).post(f"me/follow-requests/{fan.handle}/approve")

    assert_error(response, 404, "not_found")
    assert follow_state(fan, owner) == FollowState.REQUESTED


# --- blocks -------------------------------------------------------------------


def test_blocking_removes_follows_in_both_directions(api):
    me, them = UserFactory(), UserFactory()
    FollowFactory(follower=me, followee=them)
    FollowFactory(follower=them, followee=me)

    response = api(me).post(f"users/{them.handle}/block")

    assert response.json() == {"ok": True}
    assert Follow.objects.count() == 0
    assert Block.objects.filter(blocker=me, blocked=them).count() == 1


def test_blocking_twice_keeps_one_block(api):
    me, them = UserFactory(), UserFactory()
    api(me).post(f"users/{them.handle}/block")

    response = api(me).post(f"users/{them.handle}/block")

    assert response.status_code == 200
    assert Block.objects.count() == 1


def test_blocking_yourself_is_refused(api, user):
    assert_error(api(user).post(f"users/{user.handle}/block"), 400, "block_self", "handle")
    assert Block.objects.count() == 0


def test_a_blocked_user_cannot_follow_the_blocker_and_learns_nothing(api):
    blocker, blocked = UserFactory(), UserFactory()
    BlockFactory(blocker=blocker, blocked=blocked)

    response = api(blocked).post(f"users/{blocker.handle}/follow")

    assert_error(response, 404, "not_found")
    assert Follow.objects.count() == 0


def test_the_blocker_must_unblock_before_following(api):
    blocker, blocked = UserFactory(), UserFactory()
    BlockFactory(blocker=blocker, blocked=blocked)

    response = api(blocker).post(f"users/{blocked.handle}/follow")

    assert_error(response, 403, "blocked")
    assert Follow.objects.count() == 0


def test_unblocking_lets_them_follow_again(api):
    blocker, blocked = UserFactory(), UserFactory()
    BlockFactory(blocker=blocker, blocked=blocked)

    response = api(blocker).delete(f"users/{blocked.handle}/block")

    assert response.json() == {"ok": True}
    assert Block.objects.count() == 0
    assert api(blocked).post(f"users/{blocker.handle}/follow").json() == {"state": "following"}
    assert api(blocker).post(f"users/{blocked.handle}/follow").json() == {"state": "following"}


def test_a_blocked_user_cannot_block_back_the_invisible_blocker(api):
    blocker, blocked = UserFactory(), UserFactory()
    BlockFactory(blocker=blocker, blocked=blocked)

    assert_error(api(blocked).post(f"users/{blocker.handle}/block"), 404, "not_found")
    assert Block.objects.count() == 1


# --- follower and following lists --------------------------------------------


def make_followers(owner, count: int) -> list[str]:
    """``count`` followers of ``owner``, the newest first."""
    now = timezone.now()
    fans = []
    for n in range(count):
        fan = UserFactory()
        FollowFactory(follower=fan, followee=owner, created_at=now - timedelta(seconds=n))
        fans.append(fan.handle)
    return fans


def test_followers_are_paginated_newest_first(api):
    owner = UserFactory()
    fans = make_followers(owner, 3)
    FollowFactory(followee=owner, state=FollowState.REQUESTED)

    first = api().get(f"users/{owner.handle}/followers", {"limit": 2})
    second = api().get(
        f"users/{owner.handle}/followers", {"limit": 2, "cursor": first.json()["next_cursor"]}
    )

    assert handles(first) == fans[:2]
    assert handles(second) == fans[2:]
    assert second.json()["next_cursor"] is None


def test_following_lists_the_accounts_followed_and_not_pending_ones(api):
    fan = UserFactory()
    now = timezone.now()
    stars = [UserFactory(handle=f"star{n}") for n in range(3)]
    for n, star in enumerate(stars):
        FollowFactory(follower=fan, followee=star, created_at=now - timedelta(seconds=n))
    FollowFactory(follower=fan, followee=UserFactory(is_private=True), state=FollowState.REQUESTED)

    response = api().get(f"users/{fan.handle}/following")

    assert handles(response) == ["star0", "star1", "star2"]
    assert response.json()["next_cursor"] is None


@pytest.mark.parametrize("listing", ["followers", "following"])
def test_lists_of_a_private_account_are_404_for_non_followers(api, listing):
    owner = UserFactory(is_private=True)
    follower, requester, stranger = UserFactory(), UserFactory(), UserFactory()
    FollowFactory(follower=follower, followee=owner)
    FollowFactory(follower=requester, followee=owner, state=FollowState.REQUESTED)
    FollowFactory(follower=owner, followee=UserFactory())

    for viewer in (None, stranger, requester):
        client = api(viewer) if viewer else api()
        assert_error(client.get(f"users/{owner.handle}/{listing}"), 404, "not_found")
    assert len(handles(api(follower).get(f"users/{owner.handle}/{listing}"))) == 1
    assert len(handles(api(owner).get(f"users/{owner.handle}/{listing}"))) == 1


@pytest.mark.parametrize("listing", ["followers", "following"])
def test_lists_leave_out_accounts_that_blocked_the_viewer(api, listing):
    owner, viewer = UserFactory(), UserFactory()
    hidden, shown = UserFactory(handle="hidden"), UserFactory(handle="shown")
    for other in (hidden, shown):
        if listing == "followers":
            FollowFactory(follower=other, followee=owner)
        else:
            FollowFactory(follower=owner, followee=other)
    BlockFactory(blocker=hidden, blocked=viewer)

    response = api(viewer).get(f"users/{owner.handle}/{listing}")

    assert handles(response) == ["shown"]
    assert sorted(handles(api().get(f"users/{owner.handle}/{listing}"))) == ["hidden", "shown"]


def test_lists_are_404_for_someone_the_owner_blocked(api):
    owner, blocked = UserFactory(), UserFactory()
    BlockFactory(blocker=owner, blocked=blocked)

    assert_error(api(blocked).get(f"users/{owner.handle}/followers"), 404, "not_found")


# --- query counts -------------------------------------------------------------


def queries_for(client, path: str) -> int:
    client.get(path)  # warm up: the token's first use of the day is recorded once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_follow_requests_use_the_same_number_of_queries_for_5_or_15_rows(api):
    owner = UserFactory(is_private=True)
    client = api(owner)
    for _ in range(5):
        FollowFactory(followee=owner, state=FollowState.REQUESTED)
    with_5 = queries_for(client, "me/follow-requests")
    for _ in range(10):
        FollowFactory(followee=owner, state=FollowState.REQUESTED)

    with_15 = queries_for(client, "me/follow-requests")

    assert len(client.get("me/follow-requests").json()["items"]) == 15
    assert with_5 == with_15


def test_followers_use_the_same_number_of_queries_for_5_or_15_rows(api):
    owner, viewer = UserFactory(), UserFactory()
    client = api(viewer)
    make_followers(owner, 5)
    with_5 = queries_for(client, f"users/{owner.handle}/followers")
    make_followers(owner, 10)

    with_15 = queries_for(client, f"users/{owner.handle}/followers")

    assert len(client.get(f"users/{owner.handle}/followers").json()["items"]) == 15
    assert with_5 == with_15
