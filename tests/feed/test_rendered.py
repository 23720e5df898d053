"""Feed items dumped once per video (``feed.rendered``) are exactly what the schema gives."""

from __future__ import annotations

import gc
import json

import pytest
from django.test import RequestFactory
from ninja.renderers import JSONRenderer

from clipdeck.feed import page_queue, rendered
from clipdeck.videos.media import unsign
from clipdeck.videos.models import Video, Visibility
from clipdeck.videos.presenters import viewer_state
from clipdeck.videos.schemas import VideoOut
from clipdeck.videos.selectors import with_relations
from clipdeck.videos.services import like_create, video_update
from tests.factories import FollowFactory, SoundFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


def _unsigned(value):
    """``value`` with each signed media URL's token checked and left out (it names the
    second it expires, so two answers a second apart differ there and only there)."""
    if isinstance(value, dict):
        return {key: _unsigned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unsigned(item) for item in value]
    if isinstance(value, str) and "?t=" in value:
        path, _, token = value.partition("?t=")
        assert unsign(token) is not None
        return f"{path}?t=…"
    return value


def _schema_json(ids: list[str], viewer) -> dict[str, dict]:
    """Each video as ``VideoOut`` presents it to ``viewer`` (the presenter before the memo)."""
    request = RequestFactory().get("/")
    request.auth = viewer
    videos = viewer_state(list(with_relations(Video.objects.filter(pk__in=ids))), viewer)
    renderer = JSONRenderer()
    return {
        str(video.pk): _unsigned(
            json.loads(
                renderer.render(
                    request,
                    VideoOut.model_validate(video, context={"request": request}).model_dump(),
                    response_status=200,
                )
            )
        )
        for video in videos
    }


def _catalogue(viewer) -> list[Video]:
    followed = UserFactory()
    FollowFactory(follower=viewer, followee=followed)
    requested = UserFactory(is_private=True)
    FollowFactory(follower=viewer, followee=requested, state="requested")
    public = VideoFactory(author=followed, mp4="videos/a.mp4", poster="posters/a.jpg")
    public.hashtags.create(name="cats")
    original = SoundFactory(is_original=True, source_video=public, audio="sounds/a.m4a")
    return [
        public,
        VideoFactory(author=followed, visibility=Visibility.FOLLOWERS, mp4="videos/b.mp4"),
        VideoFactory(sound=SoundFactory(audio="sounds/lib.m4a"), mp4="videos/c.mp4"),
        VideoFactory(sound=original),  # another video's original sound (R3)
        VideoFactory(remix_of=public, remix_kind="duet"),
        VideoFactory(author=requested),  # not visible: a private account, not approved
        VideoFactory(),
    ]


def _page(client) -> dict[str, dict]:
    body = client.get("feed/for-you", {"limit": 10}).json()
    return {item["video"]["id"]: _unsigned(item["video"]) for item in body["items"]}


@pytest.mark.parametrize("signed_in", [True, False])
def test_a_page_from_kept_dumps_is_the_schemas_page(api, user, signed_in):
    viewer = user if signed_in else None
    videos = _catalogue(user)
    like_create(user=user, video=videos[2])
    client = api(viewer)
    rendered.forget()

    cold = _page(client)  # dumped through the schema, and kept
    if viewer is not None:
        page_queue.touch(user.pk)
    warm = _page(client)  # from the kept dumps

    assert len(warm) >= 5
    assert set(warm) == set(cold)
    assert warm == cold == _schema_json(list(warm), viewer)
    assert rendered._memo  # the public videos were kept


@pytest.mark.parametrize("signed_in", [True, False])
def test_the_page_joined_from_kept_texts_is_what_the_renderer_writes(api, user, signed_in):
    """Byte for byte: the body written from kept texts is the renderer's writing of it."""
    viewer = user if signed_in else None
    _catalogue(user)
    client = api(viewer)
    rendered.forget()
    renderer = JSONRenderer()

    for _ in range(2):  # dumped through the schema, then written from the kept texts
        response = client.get("feed/for-you", {"limit": 10})
        body = json.loads(response.content)
        assert len(body["items"]) >= 5
        assert response.content.decode() == renderer.render(None, body, response_status=200)
        assert response["Content-Type"] == "application/json; charset=utf-8"
        if viewer is not None:
            page_queue.touch(user.pk)
    assert rendered._memo


def test_a_dump_is_cut_where_the_counters_and_the_viewers_state_go():
    dump = {"id": "a", "withheld": None, "created_at": "2026-12-07T00:00:00Z", "tags": ["x"]}

    head, tail = rendered._cut(dump)

    assert head == '{"id": "a", "withheld": null'
    assert tail == ', "created_at": "2026-12-07T00:00:00Z", "tags": ["x"]}'
    assert rendered._cut({"id": "a"}) is None  # the schema lost the field: nothing is kept


def test_counters_and_the_viewers_own_state_are_read_on_every_page(api, user):
    videos = _catalogue(user)
    client = api(user)
    first = _page(client)
    liked = videos[6]
    assert first[str(liked.pk)]["viewer"]["liked"] is False

    like_create(user=user, video=liked)
    page_queue.touch(user.pk)
    again = _page(client)

    assert again[str(liked.pk)]["viewer"]["liked"] is True
    assert again[str(liked.pk)]["counts"]["likes"] == first[str(liked.pk)]["counts"]["likes"] + 1
    assert again == _schema_json(list(again), user)


def test_a_video_made_followers_only_is_presented_again_for_the_viewer(api, user):
    videos = _catalogue(user)
    client = api(user)
    public = videos[0]
    assert "?v=" in _page(client)[str(public.pk)]["media"]["mp4"]  # a stable URL, kept

    Video.objects.filter(pk=public.pk).update(visibility=Visibility.FOLLOWERS)  # no signal
    page_queue.touch(user.pk)
    again = _page(client)

    assert again[str(public.pk)]["visibility"] == "followers"
    assert again[str(public.pk)]["media"]["mp4"].endswith("?t=…")  # signed for this viewer
    assert again == _schema_json(list(again), user)


def test_an_edited_caption_is_presented_at_once(api, user):
    videos = _catalogue(user)
    client = api(user)
    mine = VideoFactory(author=UserFactory())
    assert str(mine.pk) in _page(client)

    video_update(video=mine, caption="new words #dogs")
    page_queue.touch(user.pk)

    again = _page(client)[str(mine.pk)]
    assert again["caption"] == "new words #dogs"
    assert again["hashtags"] == ["dogs"]
    assert len(videos) == 7


def test_videos_dumped_behind_the_requests_are_presented_as_the_schema_presents_them(api, user):
    """``rendered.warm`` (the pages ranked behind) dumps a video as this viewer's page would."""
    videos = _catalogue(user)
    like_create(user=user, video=videos[2])
    ids = [str(video.pk) for video in videos]
    rendered.forget()

    rendered.warm(user, ids)
    kept = set(rendered._memo)
    page_queue.touch(user.pk)
    served = _page(api(user))

    assert kept and kept <= set(served)  # only what every viewer sees alike was kept
    assert served == _schema_json(list(served), user)


def test_kept_dumps_give_the_cyclic_collector_nothing_to_walk(api, user):
    """Thousands of kept dumps must not lengthen full collections: they are kept as text."""
    _catalogue(user)
    rendered.forget()
    _page(api(user))
    gc.collect()  # a collection stops tracking tuples that hold only untracked values:
    gc.collect()  # the stamps in the first, the entries holding them in the second

    assert rendered._memo
    assert not any(gc.is_tracked(entry) for entry in rendered._memo.values())
