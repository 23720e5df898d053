"""The page's videos read by the compiled query (``feed.page_videos``) dump as the ORM's do."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from clipdeck.feed import page_videos
from clipdeck.videos.models import Hashtag, Video, Visibility
from clipdeck.videos.schemas import VideoOut
from clipdeck.videos.selectors import with_relations
from tests.factories import SoundFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


def _dumps(videos: list[Video], viewer) -> dict[str, dict]:
    request = RequestFactory().get("/")
    request.auth = viewer
    for video in videos:  # the viewer's state, as the feed marks it from its rows
        video.viewer_liked, video.viewer_author_follow = False, "none"
    return {
        str(video.pk): VideoOut.model_validate(video, context={"request": request}).model_dump()
        for video in videos
    }


def _catalogue() -> list[Video]:
    author, mentioned, other = UserFactory(), UserFactory(), UserFactory()
    tagged = VideoFactory(author=author, caption="three tags", mp4="videos/a.mp4")
    # created out of name order, linked out of creation order
    tags = [Hashtag.objects.create(name=name) for name in ("zebra", "apple", "mango")]
    tagged.hashtags.add(tags[2], tags[0], tags[1])
    tagged.mentions.add(other, mentioned)
    original = SoundFactory(is_original=True, source_video=tagged, audio="sounds/a.m4a")
    return [
        tagged,
        VideoFactory(sound=SoundFactory(audio="sounds/lib.m4a"), mp4="videos/b.mp4"),
        VideoFactory(sound=original),
        VideoFactory(remix_of=tagged, remix_kind="duet"),
        VideoFactory(author=author, visibility=Visibility.FOLLOWERS),
        VideoFactory(),
    ]


@pytest.mark.parametrize("signed_in", [True, False])
def test_the_compiled_read_dumps_every_kind_of_video_as_the_orm_read_does(user, signed_in):
    viewer = user if signed_in else None
    ids = [str(video.pk) for video in _catalogue()]

    compiled = page_videos.videos(ids)
    orm = list(with_relations(Video.objects.filter(pk__in=ids)))

    assert sorted(str(video.pk) for video in compiled) == sorted(ids)
    assert _dumps(compiled, viewer) == _dumps(orm, viewer)
    tagged = next(video for video in compiled if str(video.pk) == ids[0])
    assert sorted(VideoOut.resolve_hashtags(tagged)) == ["apple", "mango", "zebra"]
    assert len(VideoOut.resolve_mentions(tagged)) == 2


def test_reading_and_dumping_a_page_costs_the_same_queries_for_one_public_video_or_many():
    public = [VideoFactory(mp4=f"videos/{n}.mp4") for n in range(5)]
    for n, video in enumerate(public):
        video.hashtags.add(Hashtag.objects.create(name=f"tag{n}"))
        video.mentions.add(UserFactory())
    ids = [str(video.pk) for video in public]
    _dumps(page_videos.videos(ids[:1]), None)  # compiles once

    with CaptureQueriesContext(connection) as one:
        _dumps(page_videos.videos(ids[:1]), None)
    with CaptureQueriesContext(connection) as many:
        dumped = _dumps(page_videos.videos(ids), None)

    assert len(one) == len(many) <= 3  # no query per video for its hashtags or mentions
    assert sorted(dump["hashtags"][0] for dump in dumped.values()) == [f"tag{n}" for n in range(5)]


def test_unknown_ids_are_left_out_and_no_ids_read_nothing():
    video = VideoFactory()

    assert [v.pk for v in page_videos.videos([str(uuid.uuid4()), str(video.pk)])] == [video.pk]
    with CaptureQueriesContext(connection) as queries:
        assert page_videos.videos([]) == []
    assert len(queries) == 0


def test_a_hashtag_added_after_the_first_read_is_read_on_the_next():
    video = VideoFactory()
    assert VideoOut.resolve_hashtags(page_videos.videos([str(video.pk)])[0]) == []

    video.hashtags.add(Hashtag.objects.create(name="later"))

    assert VideoOut.resolve_hashtags(page_videos.videos([str(video.pk)])[0]) == ["later"]
