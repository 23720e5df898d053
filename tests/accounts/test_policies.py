"""The profile policy called directly: one viewer normalisation, access variants."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from clipdeck.accounts.models import User
from clipdeck.accounts.policies import ProfileContent, profile_access
from clipdeck.kernel.auth import as_viewer
from clipdeck.kernel.errors import NotFound
from clipdeck.videos.visibility import video_access
from tests.factories import BlockFactory, FollowFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("anonymous", [None, AnonymousUser()])
def test_anonymous_viewers_become_none(anonymous):
    assert as_viewer(anonymous) is None


def test_a_signed_in_user_is_their_own_viewer():
    user = UserFactory()
    assert as_viewer(user) is user


@pytest.mark.parametrize("anonymous", [None, AnonymousUser()])
def test_anonymous_viewers_see_the_same_profiles(anonymous):
    UserFactory()
    UserFactory(is_active=False)
    assert list(User.objects.visible_to(anonymous)) == list(User.objects.visible_to(None))
    assert User.objects.visible_to(anonymous).count() == 1


def test_content_of_a_private_account_needs_an_approved_follow():
    # Given a private account, a stranger and an approved follower
    owner = UserFactory(is_private=True)
    stranger = UserFactory()
    follower = UserFactory()
    FollowFactory(follower=follower, followee=owner)
    # Then both open the profile, only the follower its content
    assert profile_access(stranger, owner.handle) == owner
    with pytest.raises(NotFound) as hidden:
        profile_access(stranger, owner.handle, require_content=ProfileContent.VIDEOS)
    assert hidden.value.message == ProfileContent.VIDEOS.value
    assert profile_access(follower, owner.handle, require_content=ProfileContent.VIDEOS) == owner


def test_a_blocked_viewer_gets_the_404_of_a_missing_account():
    owner = UserFactory()
    blocked = UserFactory()
    BlockFactory(blocker=owner, blocked=blocked)
    with pytest.raises(NotFound) as refused:
        profile_access(blocked, owner.handle)
    with pytest.raises(NotFound) as missing:
        profile_access(blocked, "nobody_here")
    assert refused.value.message == missing.value.message


def test_require_owner_gives_a_visible_video_to_its_author_only():
    video = VideoFactory()
    assert video_access(video.author, video.pk, require_owner=True) == video
    assert video_access(UserFactory(), video.pk) == video
    for someone in (UserFactory(), None, AnonymousUser()):
        with pytest.raises(NotFound):
            video_access(someone, video.pk, require_owner=True)
