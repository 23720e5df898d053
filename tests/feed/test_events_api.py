"""POST /api/v1/events: batched events, validation, visibility and counters."""

from __future__ import annotations

import pytest

from clipdeck.feed import realtime
from clipdeck.feed.models import Event, EventKind, VideoStats
from clipdeck.videos.models import Visibility
from tests.factories import BlockFactory, SoundFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


def test_a_batch_of_events_is_stored_compactly_with_completion(api, user):
    video = VideoFactory(duration_ms=10_000)
    body = {
        "events": [
            {"type": "impression", "video": str(video.pk)},
            {"type": "view", "video": str(video.pk), "watched_ms": 8_000},
        ]
    }

    response = api(user).post("events", body)

    assert response.status_code == 200
    assert response.json() == {"accepted": 2, "ignored": 0}
    rows = list(Event.objects.order_by("kind").values_list("kind", "watched_ms", "completion_pm"))
    assert rows == [(EventKind.IMPRESSION, 0, 0), (EventKind.VIEW, 8_000, 800)]


def test_views_and_skips_update_the_videos_counters(api, user):
    video = VideoFactory(duration_ms=10_000)
    body = {
        "events": [
            {"type": "view", "video": str(video.pk), "watched_ms": 9_000},
            {"type": "skip", "video": str(video.pk), "watched_ms": 500},
            {"type": "like", "video": str(video.pk)},
        ]
    }

    api(user).post("events", body)

    stats = VideoStats.objects.get(video=video)
    assert (stats.exposures, stats.completions, stats.skips, stats.likes) == (2, 1, 1, 1)


def test_an_unknown_event_type_refuses_the_batch_with_the_error_envelope(api, user):
    video = VideoFactory()
    body = {
        "events": [
            {"type": "view", "video": str(video.pk), "watched_ms": 1},
            {"type": "stare", "video": str(video.pk)},
        ]
    }

    response = api(user).post("events", body)

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("bad_event_type", "events.1.type")
    assert "stare" in error["message"]
    assert Event.objects.count() == 0


def test_a_malformed_video_id_is_refused(api, user):
    response = api(user).post("events", {"events": [{"type": "view", "video": "nope"}]})

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "events.0.video"


def test_a_negative_watched_time_is_refused(api, user):
    video = VideoFactory()
    body = {"events": [{"type": "view", "video": str(video.pk), "watched_ms": -5}]}

    response = api(user).post("events", body)

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "events.0.watched_ms"


def test_too_many_events_in_one_batch_are_refused(api, user):
    video = VideoFactory()
    body = {"events": [{"type": "impression", "video": str(video.pk)}] * 101}

    response = api(user).post("events", body)

    assert response.status_code == 422
    assert Event.objects.count() == 0


def test_events_on_videos_the_viewer_may_not_see_are_ignored(api, user):
    private = VideoFactory(visibility=Visibility.PRIVATE)
    blocker = UserFactory()
    BlockFactory(blocker=blocker, blocked=user)
    of_blocker = VideoFactory(author=blocker)
    visible = VideoFactory()
    body = {
        "events": [
            {"type": "like", "video": str(private.pk)},
            {"type": "like", "video": str(of_blocker.pk)},
            {"type": "like", "video": str(visible.pk)},
        ]
    }

    response = api(user).post("events", body)

    assert response.json() == {"accepted": 1, "ignored": 2}
    assert list(Event.objects.values_list("video_id", flat=True)) == [visible.pk]
    assert not VideoStats.objects.filter(video__in=[private, of_blocker]).exists()


def test_anonymous_callers_cannot_record_events(api):
    video = VideoFactory()

    response = api().post("events", {"events": [{"type": "view", "video": str(video.pk)}]})

    assert response.status_code == 401
    assert Event.objects.count() == 0


def test_an_event_changes_short_term_interests_at_once(api, user):
    sound = SoundFactory()
    video = VideoFactory(caption="#cats", sound=sound)
    video.hashtags.create(name="cats")

    api(user).post("events", {"events": [{"type": "share", "video": str(video.pk)}]})

    state = realtime.load(user.pk)
    assert state.creators[str(video.author_id)] == pytest.approx(3.0, rel=1e-3)
    assert state.sounds[str(sound.pk)] == pytest.approx(3.0, rel=1e-3)
    assert state.hashtags["cats"] == pytest.approx(3.0, rel=1e-3)
    assert state.engaged == [str(video.pk)]
