"""The feed's fast paths give what the plain paths give."""

from __future__ import annotations

import gc

import pytest

from clipdeck.accounts.models import Block
from clipdeck.feed import long_lived, pipeline, visible_rows
from clipdeck.feed.sources import Candidate
from clipdeck.videos.models import Video
from tests.factories import UserFactory, VideoFactory

pytestmark = pytest.mark.django_db

FIELDS = ("pk", "author_id", "duration_ms")


def test_the_compiled_visibility_query_is_reused_and_still_sees_a_new_block(user):
    visible_rows.forget()
    videos = VideoFactory.create_batch(3)
    ids = [str(video.pk) for video in videos]
    expected = set(Video.objects.visible_to(user).filter(pk__in=ids).values_list(*FIELDS))

    assert set(visible_rows.visible_rows(user, ids, FIELDS)) == expected
    assert len(expected) == 3

    Block.objects.create(blocker=user, blocked=videos[0].author)
    again = visible_rows.visible_rows(user, ids[:2], FIELDS)  # the compiled SQL, reused

    assert [row[0] for row in again] == [videos[1].pk]


def test_other_viewers_get_their_own_compiled_query(user):
    visible_rows.forget()
    video = VideoFactory()
    other = UserFactory()
    Block.objects.create(blocker=video.author, blocked=other)

    assert visible_rows.visible_rows(user, [str(video.pk)], FIELDS)
    assert visible_rows.visible_rows(other, [str(video.pk)], FIELDS) == []
    assert visible_rows.visible_rows(None, [], FIELDS) == []


def _candidate(n: int, source: str) -> Candidate:
    return Candidate(f"v{source}{n}", source, 1.0 / (n + 1))


def test_the_shortlist_keeps_agreed_videos_and_some_exploration(monkeypatch):
    monkeypatch.setattr(pipeline, "SHORTLIST", 90)  # about the best 30 of each of 3 sources
    found = [_candidate(n, "trending") for n in range(100)]
    found += [_candidate(n, "collaborative") for n in range(100)]
    found += [Candidate("vtrending35", "collaborative", 0.0)]  # middling twice: agreed on
    found += [_candidate(n, "exploration") for n in range(100)]

    kept = pipeline.shortlist(found, limit=10)
    ids = {candidate.video_id for candidate in kept}

    assert pipeline.SHORTLIST <= len(ids) <= pipeline.SHORTLIST + pipeline.SHORTLIST_EXPLORATION
    assert {"vtrending0", "vcollaborative0", "vexploration0", "vtrending35"} <= ids
    assert "vtrending34" not in ids and "vcollaborative40" not in ids
    assert sum(1 for pk in ids if pk.startswith("vexploration")) >= 10


def test_a_short_candidate_list_is_kept_whole():
    found = [_candidate(n, "fresh") for n in range(30)]

    assert pipeline.shortlist(found, limit=10) == found


def test_settling_freezes_the_objects_alive_now(settings):
    settings.CLIPDECK_GC_FREEZE = True
    try:
        long_lived.settle()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    settings.CLIPDECK_GC_FREEZE = False
    long_lived.settle()
    assert gc.get_freeze_count() == 0
