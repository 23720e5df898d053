"""The feed's fast paths give what the plain paths give."""

from __future__ import annotations

import gc

import pytest
from django.db import connection

from clipdeck.accounts.models import Block, Follow, FollowState
from clipdeck.feed import features, long_lived, pipeline, realtime, rendered, visible_rows
from clipdeck.feed.context import viewer_context
from clipdeck.feed.interest_weights import interest
from clipdeck.feed.models import EventKind
from clipdeck.feed.sources import Candidate
from clipdeck.videos.models import Hashtag, Like, Video, Visibility
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


def test_one_compiled_query_gives_each_viewer_their_own_answer(user):
    """Compiled once for every signed-in viewer: each still gets exactly what the ORM's
    policy gives them, their own rows' columns included."""
    visible_rows.forget()
    creator, follower, blocked, stranger = UserFactory.create_batch(4)
    Follow.objects.create(follower=follower, followee=creator, state=FollowState.FOLLOWING)
    Block.objects.create(blocker=creator, blocked=blocked)
    public = VideoFactory(author=creator)
    for_followers = VideoFactory(author=creator, visibility=Visibility.FOLLOWERS)
    private = VideoFactory(author=creator, visibility=Visibility.PRIVATE)
    Like.objects.create(user=follower, video=public)
    ids = [str(video.pk) for video in (public, for_followers, private)]

    for viewer in (creator, follower, blocked, stranger, user, None):
        orm = set(visible_rows._queryset(viewer, rendered.FIELDS, ids, rendered._viewer_columns))
        assert set(rendered.page_rows(viewer, ids)) == orm
        assert set(visible_rows.visible_rows(viewer, ids, FIELDS)) == {
            row[: len(FIELDS)]
            for row in Video.objects.visible_to(viewer).filter(pk__in=ids).values_list(*FIELDS)
        }

    seen = {pk: {row[0] for row in visible_rows.visible_rows(v, ids, ("pk",))} for pk, v in (
        ("creator", creator), ("follower", follower), ("blocked", blocked), ("anybody", None)
    )}  # fmt: skip
    assert seen == {
        "creator": {public.pk, for_followers.pk, private.pk},
        "follower": {public.pk, for_followers.pk},
        "blocked": set(),
        "anybody": {public.pk},
    }
    liked = {row[0]: row[len(rendered.FIELDS)] for row in rendered.page_rows(follower, ids)}
    assert liked == {public.pk: True, for_followers.pk: False}
    if connection.vendor == "sqlite":  # other databases take the ORM path every time
        # One query per field list (three here) for signed-in viewers, one for anybody else.
        assert len(visible_rows._compiled) == 6


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


def _tagged(name: str) -> Video:
    video = VideoFactory()
    video.hashtags.add(Hashtag.objects.get_or_create(name=name)[0])
    return video


def _watched(user, video: Video, kind: EventKind) -> None:
    """What recording the event does to the viewer's short-term profile."""
    tags = list(video.hashtags.values_list("name", flat=True))
    facts = {"id": str(video.pk), "author": str(video.author_id), "sound": None, "hashtags": tags}
    realtime.apply(user.pk, [(facts, interest(kind))])


def _found_with(deep: Video, shallow: Video) -> list[Candidate]:
    """Two sources of 100; ``deep`` 60th in trending (below the cut), ``shallow`` 30th (above)."""
    found = [_candidate(n, "trending") for n in range(100)]
    found[60] = Candidate(str(deep.pk), "trending", 0.0)
    found[30] = Candidate(str(shallow.pk), "trending", 0.0)
    return found + [_candidate(n, "collaborative") for n in range(100)]


def test_the_shortlist_keeps_what_the_viewer_just_liked_and_drops_what_they_skipped(
    user, monkeypatch
):
    monkeypatch.setattr(pipeline, "SHORTLIST", 90)  # about the best 45 of each source
    features.forget_memo()
    cats, dogs = _tagged("cats"), _tagged("dogs")
    features.warm([cats.pk, dogs.pk])  # as the shared lists' refresh does
    found = _found_with(deep=cats, shallow=dogs)

    def kept() -> set[str]:
        context = viewer_context(user)
        return {c.video_id for c in pipeline.shortlist(found, limit=10, context=context)}

    before = kept()
    assert str(cats.pk) not in before and str(dogs.pk) in before

    _watched(user, _tagged("cats"), EventKind.LIKE)
    _watched(user, _tagged("dogs"), EventKind.SKIP)
    after = kept()

    assert str(cats.pk) in after
    assert str(dogs.pk) not in after
    assert len(after) == len(before)


def test_the_shortlist_ignores_interests_of_videos_it_has_no_facts_about(user, monkeypatch):
    monkeypatch.setattr(pipeline, "SHORTLIST", 90)
    features.forget_memo()
    cats, dogs = _tagged("cats"), _tagged("dogs")  # never read: no hashtags in the memo
    _watched(user, _tagged("cats"), EventKind.LIKE)
    found = _found_with(deep=cats, shallow=dogs)

    kept = {c.video_id for c in pipeline.shortlist(found, limit=10, context=viewer_context(user))}

    assert str(cats.pk) not in kept and str(dogs.pk) in kept


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


@pytest.mark.parametrize(
    "stored", [None, "2026-12-07 21:39:08.661872", "2026-12-07 21:39:08", "2020-02-29 00:00:00"]
)
def test_the_direct_date_and_id_conversions_are_djangos(stored):
    from django.db.models import DateTimeField, UUIDField

    if connection.vendor != "sqlite":
        pytest.skip("the compiled path and its conversions are SQLite's")

    datetime_at = visible_rows._converters(
        {0: ([connection.ops.convert_datetimefield_value], DateTimeField())}
    )[0][1]
    assert datetime_at(stored) == connection.ops.convert_datetimefield_value(
        stored, DateTimeField(), connection
    )
    if stored is not None:
        assert datetime_at(stored).tzinfo is not None
    uuid_at = visible_rows._converters({0: ([connection.ops.convert_uuidfield_value], UUIDField())})
    hexed = None if stored is None else "0f" * 16
    assert uuid_at[0][1](hexed) == connection.ops.convert_uuidfield_value(
        hexed, UUIDField(), connection
    )
