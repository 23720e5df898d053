"""The Following feed, and the retention of events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clipdeck.feed.models import Event, EventKind
from clipdeck.feed.services import events_prune
from clipdeck.kernel.personal_data import Retention, lookup
from clipdeck.videos.models import Visibility
from tests.factories import FollowFactory, UserFactory, VideoFactory
from tests.feed.conftest import ids

pytestmark = pytest.mark.django_db


def test_following_lists_the_newest_videos_of_followed_accounts(api, user):
    creator = UserFactory()
    FollowFactory(follower=user, followee=creator)
    now = timezone.now()
    older = VideoFactory(author=creator, published_at=now - timedelta(hours=2))
    newer = VideoFactory(author=creator, published_at=now - timedelta(hours=1))
    VideoFactory()

    response = api(user).get("feed/following", {"limit": 1})
    second = api(user).get("feed/following", {"cursor": response.json()["next_cursor"]})

    assert ids(response) == [str(newer.pk)]
    assert ids(second) == [str(older.pk)]
    assert response.json()["items"][0]["reason"]["source"] == "following"


def test_following_respects_visibility(api, user):
    private_owner = UserFactory(is_private=True)
    FollowFactory(follower=user, followee=private_owner, state="requested")
    VideoFactory(author=private_owner)
    creator = UserFactory()
    FollowFactory(follower=user, followee=creator)
    VideoFactory(author=creator, visibility=Visibility.PRIVATE)

    assert ids(api(user).get("feed/following")) == []


def test_following_needs_a_signed_in_user(api):
    assert api().get("feed/following").status_code == 401


def test_events_older_than_the_retention_are_pruned(user):
    video = VideoFactory()
    now = timezone.now()
    old = Event.objects.create(user=user, video=video, kind=EventKind.VIEW, at=now - timedelta(91))
    recent = Event.objects.create(user=user, video=video, kind=EventKind.VIEW, at=now)

    assert events_prune(now=now) == 1
    assert list(Event.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Event.objects.filter(pk=old.pk).exists()


def test_the_inventory_declares_the_events_retention():
    record = lookup(Event, "user")

    assert (record.data_class, record.retention) == ("protected", Retention.EVENTS.value)


def test_the_main_parameters_explanation_names_every_control():
    from clipdeck.feed.explanation import main_parameters_markdown

    text = main_parameters_markdown()

    for control in ("Not interested", "Refresh For You", "Not personalised", "Following"):
        assert control in text
