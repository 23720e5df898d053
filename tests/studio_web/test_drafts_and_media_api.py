"""Drafts, signed media of non-public videos, original sounds, options, failed renders."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from clipdeck.studio.engine.presets import PRESETS
from clipdeck.videos.media import sign
from clipdeck.videos.models import Sound, Video
from tests.factories import FollowFactory, UserFactory
from tests.studio_web.conftest import rendered, stored_file, upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner(db):
    return UserFactory(handle="owner")


@pytest.fixture
def stranger(db):
    return UserFactory(handle="stranger")


def _fetch(api, url: str, viewer=None):
    """GET a media URL as a browser would (session, if any, but no bearer token)."""
    client = api(viewer).client
    if viewer is not None:
        client.force_login(viewer)
    return client.get(url)


def _token(url: str) -> str:
    return parse_qs(urlsplit(url).query)["t"][0]


def test_draft_renders_but_only_its_owner_sees_it_until_published(
    api, owner, stranger, portrait_clip, run_worker
):
    mine = api(owner)

    body = rendered(mine, portrait_clip, run_worker, draft="true", caption="soon #draft")

    video_id = body["id"]
    assert body["status"] == "draft"
    assert body["media"]["mp4"].split("?")[1].startswith("t=")
    assert [v["id"] for v in mine.get("me/drafts").json()["items"]] == [video_id]
    assert api(stranger).get(f"videos/{video_id}").status_code == 404
    assert api().get(f"videos/{video_id}").status_code == 404
    assert api(stranger).get("users/owner/videos").json()["items"] == []
    assert api(stranger).get("me/drafts").json()["items"] == []
    assert api(stranger).post(f"videos/{video_id}/publish").status_code == 404
    assert _fetch(api, body["media"]["mp4"].split("?")[0]).status_code == 404

    published = mine.post(f"videos/{video_id}/publish")

    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert "?v=" in published.json()["media"]["mp4"]
    assert api(stranger).get(f"videos/{video_id}").json()["status"] == "published"
    assert mine.get("me/drafts").json()["items"] == []
    assert _fetch(api, published.json()["media"]["mp4"]).status_code == 200


def test_publishing_a_video_still_processing_is_a_conflict(api, owner, portrait_clip):
    video_id = upload(api(owner), portrait_clip, draft="true").json()["id"]

    response = api(owner).post(f"videos/{video_id}/publish")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_a_draft"


@pytest.mark.parametrize("visibility", ["followers", "private"])
def test_media_of_a_non_public_video_needs_a_signed_url_for_the_right_viewer(
    api, owner, stranger, portrait_clip, run_worker, visibility
):
    follower = UserFactory(handle="fan")
    FollowFactory(follower=follower, followee=owner)
    body = rendered(api(owner), portrait_clip, run_worker, visibility=visibility)
    video_id, mp4 = body["id"], body["media"]["mp4"]
    bare = mp4.split("?")[0]
    poster_path = body["media"]["poster"].split("?")[0]

    assert _fetch(api, mp4).status_code == 200  # the owner's own signed URL
    assert _fetch(api, bare).status_code == 404  # unsigned
    assert _fetch(api, bare, viewer=stranger).status_code == 404
    assert _fetch(api, f"{poster_path}?t={_token(mp4)}").status_code == 404  # other kind
    assert _fetch(api, f"{bare}?t=not-a-token").status_code == 404
    stranger_token = sign(video_id, "mp4", stranger.pk)
    assert _fetch(api, f"{bare}?t={stranger_token}").status_code == 404
    expired = sign(video_id, "mp4", owner.pk, ttl=-1)
    assert _fetch(api, f"{bare}?t={expired}").status_code == 404
    other = rendered(api(owner), portrait_clip, run_worker, visibility=visibility)
    assert _fetch(api, f"{other['media']['mp4'].split('?')[0]}?t={_token(mp4)}").status_code == 404

    fan_view = api(follower).get(f"videos/{video_id}")
    if visibility == "private":
        assert fan_view.status_code == 404
        assert _fetch(api, f"{bare}?t={sign(video_id, 'mp4', follower.pk)}").status_code == 404
    else:
        fan_url = fan_view.json()["media"]["mp4"]
        assert _token(fan_url) != _token(mp4)
        response = _fetch(api, fan_url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"


def test_original_sound_follows_its_video(api, owner, stranger, portrait_clip, run_worker):
    body = rendered(api(owner), portrait_clip, run_worker)
    sound_id = body["sound"]["id"]
    assert body["sound"]["is_original"] is True
    reuse = json.dumps({"sound": {"id": sound_id}, "original_volume": 0})
    second = rendered(api(stranger), portrait_clip, run_worker, edit=reuse)
    assert second["sound"]["id"] == sound_id

    listed = api(stranger).get(f"sounds/{sound_id}/videos").json()["items"]
    assert sorted(v["id"] for v in listed) == sorted([body["id"], second["id"]])

    api(owner).patch(f"videos/{body['id']}", {"visibility": "private"})

    assert api(stranger).get(f"sounds/{sound_id}").status_code == 404
    assert api(stranger).get(f"sounds/{sound_id}/videos").status_code == 404
    assert api().get(f"sounds/{sound_id}/videos").status_code == 404
    # A sound that is not for everyone cannot be used, even by its owner (rule R1) ...
    refused = api(owner).get(f"sounds/{sound_id}")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "sound_not_public")
    # ... and the stranger's video using it is now the stranger's alone (rule R2)
    assert api().get(f"videos/{second['id']}").status_code == 404
    assert api(owner).get(f"videos/{second['id']}").status_code == 404
    withheld = api(stranger).get(f"videos/{second['id']}").json()
    assert (withheld["withheld_reason"], withheld["sound"]) == ("source_not_public", None)


def test_original_sound_of_a_draft_is_not_visible_to_others(
    api, owner, stranger, portrait_clip, run_worker
):
    body = rendered(api(owner), portrait_clip, run_worker, draft="true")
    sound_id = body["sound"]["id"]

    assert api(stranger).get(f"sounds/{sound_id}").status_code == 404
    assert api(stranger).get(f"sounds/{sound_id}/videos").status_code == 404
    edit = json.dumps({"sound": {"id": sound_id}})
    response = upload(api(stranger), portrait_clip, edit=edit)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "edit.sound.id"


def test_studio_options_list_the_limits(api):
    response = api().get("studio/options")

    assert response.status_code == 200
    body = response.json()
    assert [f["name"] for f in body["filters"]] == list(PRESETS)
    assert (body["speed_min"], body["speed_max"]) == (0.5, 3.0)
    assert body["speeds"] == [0.5, 1.0, 1.5, 2.0, 3.0]
    assert body["length_limits_seconds"] == [
        ms // 1000 for ms in settings.CLIPDECK_LENGTH_OPTIONS_MS
    ]
    assert body["default_length_seconds"] == body["length_limits_seconds"][0]
    assert body["max_upload_mb"] == settings.CLIPDECK_MAX_UPLOAD_BYTES // 1_000_000
    assert body["max_source_seconds"] == settings.CLIPDECK_MAX_SOURCE_MS // 1000
    assert body["max_side"] == settings.CLIPDECK_MAX_SIDE
    assert set(body["video_codecs"]) >= {"h264", "hevc", "vp8", "vp9", "av1"}
    assert set(body["audio_codecs"]) >= {"aac", "opus", "mp3"}
    assert (body["max_takes"], body["max_stitch_seconds"]) == (10, 5)


def test_options_follow_the_settings(api, settings):
    settings.CLIPDECK_LENGTH_OPTIONS_MS = [30_000, 90_000]
    settings.CLIPDECK_MAX_UPLOAD_BYTES = 50_000_000

    body = api().get("studio/options").json()

    assert (body["length_limits_seconds"], body["default_length_seconds"]) == ([30, 90], 30)
    assert body["max_upload_mb"] == 50


@pytest.fixture(scope="module")
def damaged(clips, clip_dir) -> Path:
    """Probe accepts it (the index is intact); the render finds the damage."""
    import numpy as np

    good = bytearray(Path(clips.make("to_damage.mp4", seconds=2.0, scene="bouncing")).read_bytes())
    rng = np.random.default_rng(7)
    for index in rng.integers(len(good) // 4, len(good) // 2, 200):
        good[index] ^= 0xFF
    path = clip_dir / "damaged.mp4"
    path.write_bytes(bytes(good))
    return path


def test_failed_render_keeps_the_original_and_the_owner_can_delete_it(
    api, owner, damaged, run_worker
):
    body = rendered(api(owner), damaged, run_worker)

    assert body["status"] == "failed"
    assert body["error_code"] == "corrupt_media"
    assert body["error"] == "This video is damaged: parts of it cannot be decoded."
    assert body["media"] == {"mp4": None, "mp4_720": None, "poster": None, "captions": None}
    original = Video.objects.get(pk=body["id"]).original.path
    assert Path(stored_file(body["id"], "original")).read_bytes() == damaged.read_bytes()
    assert [v["id"] for v in api(owner).get("me/drafts").json()["items"]] == [body["id"]]

    response = api(owner).delete(f"videos/{body['id']}")

    assert response.status_code == 204
    assert not Video.objects.filter(pk=body["id"]).exists()
    assert not os.path.exists(original)


def test_delete_removes_every_rendered_file(api, owner, stranger, portrait_clip, run_worker):
    body = rendered(api(owner), portrait_clip, run_worker)
    video = Video.objects.get(pk=body["id"])
    files = [video.original.path, video.mp4.path, video.mp4_720.path, video.poster.path]
    assert all(os.path.exists(f) for f in files)
    assert api(stranger).delete(f"videos/{body['id']}").status_code == 404

    assert api(owner).delete(f"videos/{body['id']}").status_code == 204

    assert [f for f in files if os.path.exists(f)] == []
    assert not Sound.objects.filter(source_video_id=body["id"]).exists()


def test_delete_removes_the_original_sound_file(api, owner, portrait_clip, run_worker):
    body = rendered(api(owner), portrait_clip, run_worker)
    audio = Sound.objects.get(pk=body["sound"]["id"]).audio.path
    assert os.path.exists(audio)

    api(owner).delete(f"videos/{body['id']}")

    assert not os.path.exists(audio)
