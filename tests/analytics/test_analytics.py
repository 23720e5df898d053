"""Analytics: totals match the events, sources are counted, owners only, never who watched."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clipdeck.analytics.aggregation import aggregate_day, aggregate_recent
from clipdeck.analytics.models import VideoDay
from clipdeck.videos import services as videos
from tests.factories import FollowFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


def _view(api, viewer, video, watched_ms, source=None):
    event = {"type": "view", "video": str(video.pk), "watched_ms": watched_ms}
    if source:
        event["source"] = source
    response = api(viewer).post("events", {"events": [event]})
    assert response.status_code == 200, response.content
    assert response.json()["accepted"] == 1


@pytest.fixture
def video(alice):
    return VideoFactory(author=alice, duration_ms=10_000)


def test_totals_and_sources_match_the_events(api, alice, video):
    viewers = [UserFactory() for _ in range(3)]
    _view(api, viewers[0], video, 10_000, "search")
    _view(api, viewers[1], video, 5_000, "search")
    _view(api, viewers[2], video, 2_000, "hashtag")
    videos.like_create(user=viewers[0], video=video)
    videos.comment_create(author=viewers[1], video=video, text="so good")
    FollowFactory(follower=viewers[2], followee=alice)
    aggregate_recent()

    report = api(alice).get("me/analytics", {"days": 7}).json()
    assert report["totals"] == {
        "views": 3,
        "watch_time_ms": 17_000,
        "avg_completion": round((1.0 + 0.5 + 0.2) / 3, 4),
        "likes": 1,
        "comments": 1,
        "shares": 0,
        "new_followers": 1,
    }
    assert report["traffic_sources"] == {
        "for_you": 0,
        "following": 0,
        "profile": 0,
        "search": 2,
        "hashtag": 1,
        "sound": 0,
        "share_link": 0,
    }
    assert len(report["daily"]) == 7
    assert report["daily"][-1]["views"] == 3
    assert report["daily"][0]["views"] == 0
    assert [v["id"] for v in report["top_videos"]] == [str(video.pk)]


def test_the_retention_curve_is_the_share_still_watching(api, alice, video):
    _view(api, UserFactory(), video, 10_000)
    _view(api, UserFactory(), video, 4_500)
    aggregate_recent()

    curve = api(alice).get(f"videos/{video.pk}/analytics", {"days": 7}).json()["retention"]
    shares = {point["second"]: point["share"] for point in curve}
    assert (shares[0], shares[4], shares[5], shares[10]) == (1.0, 1.0, 0.5, 0.5)


def test_aggregating_twice_changes_nothing(api, alice, video):
    _view(api, UserFactory(), video, 3_000)
    aggregate_recent()
    aggregate_recent()
    assert VideoDay.objects.get(video=video).views == 1


def test_older_days_are_their_own_rows(api, alice, video):
    _view(api, UserFactory(), video, 3_000)
    yesterday = timezone.localdate() - timedelta(days=1)
    assert aggregate_day(yesterday) == 0
    assert not VideoDay.objects.filter(day=yesterday).exists()


def test_a_video_report_is_for_its_owner_only(api, alice, bob, video):
    assert api(bob).get(f"videos/{video.pk}/analytics").status_code == 404
    assert api().get(f"videos/{video.pk}/analytics").status_code == 401
    assert api().get("me/analytics").status_code == 401


def test_a_bad_period_is_a_clear_400(api, alice):
    response = api(alice).get("me/analytics", {"days": 30})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "days must be 7, 28 or 60."


def test_an_unknown_traffic_source_refuses_the_batch(api, alice, video):
    response = api(UserFactory()).post(
        "events", {"events": [{"type": "view", "video": str(video.pk), "source": "tv"}]}
    )
    assert response.status_code == 400
    assert "Unknown source 'tv'" in response.json()["error"]["message"]


def test_the_report_names_no_viewer(api, alice, video):
    viewer = UserFactory(handle="secretviewer")
    _view(api, viewer, video, 3_000, "profile")
    aggregate_recent()
    text = api(alice).get("me/analytics", {"days": 28}).content.decode()
    assert "secretviewer" not in text
    assert '"user' not in text and '"viewer' not in text


def test_csv_download_has_a_row_per_day(api, alice, video):
    _view(api, UserFactory(), video, 3_000)
    aggregate_recent()
    response = api(alice).get("me/analytics.csv", {"days": 7})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0] == "day,views,watch_time_ms,avg_completion,likes,comments,shares,new_followers"
    assert len(lines) == 8
    assert lines[-1].split(",")[1] == "1"


def test_views_move_the_public_view_count_once_per_viewer(api, alice, video):
    viewer = UserFactory()
    _view(api, viewer, video, 3_000)
    _view(api, viewer, video, 3_000)
    video.refresh_from_db()
    assert video.view_count == 1


def test_the_creators_own_views_are_not_their_audience(api, alice, video):
    _view(api, alice, video, 9_000, "profile")
    _view(api, UserFactory(), video, 3_000, "profile")
    aggregate_recent()
    assert api(alice).get("me/analytics", {"days": 7}).json()["totals"]["views"] == 1
    video.refresh_from_db()
    assert video.view_count == 1
