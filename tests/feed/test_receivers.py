"""A video published a moment ago is in the next feed page, cached lists or not."""

from __future__ import annotations

import pytest

from clipdeck.videos.models import VideoStatus
from clipdeck.videos.services import video_mark_ready, video_publish
from tests.factories import UserFactory, VideoFactory

pytestmark = pytest.mark.django_db(transaction=True)


def feed_ids(api, **params) -> list[str]:
    return [item["video"]["id"] for item in api().get("feed/for-you", params).json()["items"]]


@pytest.mark.parametrize("personalized", ["true", "false"])
def test_a_rendered_video_appears_even_after_an_empty_feed_was_cached(api, personalized):
    assert feed_ids(api, personalized=personalized) == []  # caches the empty lists
    video = VideoFactory(status=VideoStatus.PROCESSING, published_at=None)

    video_mark_ready(video=video)

    assert feed_ids(api, personalized=personalized) == [str(video.pk)]


def test_a_published_draft_appears_at_once(api):
    VideoFactory()  # something to cache
    feed_ids(api)
    draft = VideoFactory(
        author=UserFactory(), status=VideoStatus.DRAFT, published_at=None, keep_as_draft=True
    )

    video_publish(video=draft)

    assert str(draft.pk) in feed_ids(api)
