"""A private account's profile shows how many videos and likes it has only to those
who may see its videos: its owner and approved followers. Followers and following
counts stay visible to everyone, as the profile itself does."""

from __future__ import annotations

import pytest
from django.test import Client

from clipdeck.accounts.models import FollowState, User
from tests.factories import FollowFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db

LIKES = 4321  # distinctive enough to spot in a page


@pytest.fixture
def private_owner() -> User:
    owner = UserFactory(is_private=True)
    VideoFactory(author=owner, like_count=LIKES - 1)
    VideoFactory(author=owner, like_count=1)
    return owner


def _viewer(kind: str, owner: User) -> User | None:
    if kind == "anonymous":
        return None
    if kind == "owner":
        return owner
    viewer = UserFactory()
    state = FollowState.REQUESTED if kind == "pending" else FollowState.FOLLOWING
    FollowFactory(follower=viewer, followee=owner, state=state)
    return viewer


def _page(viewer: User | None, owner: User) -> str:
    client = Client()
    if viewer is not None:
        client.force_login(viewer)
    answer = client.get(f"/@{owner.handle}")
    assert answer.status_code == 200
    return answer.content.decode()


@pytest.mark.parametrize("kind", ["anonymous", "pending"])
def test_who_may_not_see_the_videos_gets_no_video_or_like_counts(api, private_owner, kind):
    viewer = _viewer(kind, private_owner)

    answer = api(viewer).get(f"users/{private_owner.handle}")

    assert answer.status_code == 200, answer.content
    assert answer.json()["counts"] == {
        "followers": 0,  # a pending request is not a follower
        "following": 0,
        "videos": None,
        "likes": None,
    }
    page = _page(viewer, private_owner)
    assert str(LIKES) not in page
    assert "Likes</li>" not in page
    assert "Followers</li>" in page


@pytest.mark.parametrize("kind", ["approved", "owner"])
def test_who_may_see_the_videos_gets_the_counts(api, private_owner, kind):
    viewer = _viewer(kind, private_owner)

    answer = api(viewer).get(f"users/{private_owner.handle}")

    assert answer.status_code == 200, answer.content
    assert answer.json()["counts"] == {
        "followers": 1 if kind == "approved" else 0,
        "following": 0,
        "videos": 2,
        "likes": LIKES,
    }
    assert f"<strong>{LIKES}</strong> Likes" in _page(viewer, private_owner)


def test_a_public_accounts_counts_are_shown_to_anyone(api):
    owner = UserFactory()
    VideoFactory(author=owner, like_count=LIKES)

    counts = api().get(f"users/{owner.handle}").json()["counts"]

    assert (counts["videos"], counts["likes"]) == (1, LIKES)
