"""Several takes, a voice-over and stitches through the API, and who may stitch what."""

from __future__ import annotations

import contextlib
import json

import numpy as np
import pytest

from clipdeck.studio.engine.synth import make_tone
from clipdeck.studio.models import Captions, ExtraOriginal, RenderJob
from clipdeck.videos.models import ModerationState, Video
from tests.factories import UserFactory
from tests.studio.conftest import audio_samples, band_level, mean_rgb
from tests.studio_web.conftest import rendered, stored_file, upload

pytestmark = pytest.mark.django_db(transaction=True)

RED, BLUE, GREEN = (210, 30, 30), (30, 40, 210), (30, 200, 60)
VOICE_HZ = 1500.0


@pytest.fixture(scope="module")
def red(clips) -> str:
    return clips.make("takes-red.mp4", scene="solid", color=RED, tone_hz=440.0)


@pytest.fixture(scope="module")
def blue(clips) -> str:
    return clips.make("takes-blue.mp4", scene="solid", color=BLUE, tone_hz=660.0)


@pytest.fixture(scope="module")
def green(clips) -> str:
    return clips.make("takes-green.mp4", scene="solid", color=GREEN, seconds=2.0, tone_hz=880.0)


@pytest.fixture(scope="module")
def voice(clip_dir) -> str:
    return make_tone(clip_dir / "voice.m4a", hz=VOICE_HZ, seconds=3.0)


def post_files(client, path: str, files: dict[str, str], **fields):
    """POST several files (field name -> path) and form fields as multipart."""
    with contextlib.ExitStack() as stack:
        opened = {name: stack.enter_context(open(p, "rb")) for name, p in files.items()}
        return client.post(path, {**opened, **fields}, multipart=True)


def pictures(video_id: str) -> list[np.ndarray]:
    import av

    with av.open(stored_file(video_id)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def close(frame: np.ndarray, colour) -> bool:
    h, w, _ = frame.shape
    return bool(
        np.abs(mean_rgb(frame[h // 3 : 2 * h // 3, w // 3 : 2 * w // 3]) - colour).max() < 16
    )


def test_takes_are_joined_in_order_and_kept_sealed(api, alice, red, blue, run_worker):
    edit = {"clips": [{"upload": "take2", "trim": {"start_ms": 0, "end_ms": 500}}]}
    response = post_files(api(alice), "videos", {"file": red, "take2": blue}, edit=json.dumps(edit))
    assert response.status_code == 202, response.content
    run_worker()

    body = api(alice).get(f"videos/{response.json()['id']}").json()
    assert (body["status"], body["duration_ms"]) == ("published", 1500)
    frames = pictures(body["id"])
    assert len(frames) == 45
    assert all(close(f, RED) for f in frames[:29]) and all(close(f, BLUE) for f in frames[31:])
    kept = ExtraOriginal.objects.get(video_id=body["id"])
    assert (kept.upload, kept.kind, kept.duration_ms) == ("take2", "take", 1000)
    assert kept.file.name.endswith(f"{body['id']}/take-take2.sealed.mp4")
    assert Video.objects.get(pk=body["id"]).edit["clips"] == [
        {"upload": "take2", "trim": {"start_ms": 0, "end_ms": 500}}
    ]


def test_voiceover_is_mixed_over_the_takes(api, alice, red, voice, run_worker):
    edit = {"voiceover": {"upload": "voice", "volume": 1.0}}
    response = post_files(
        api(alice), "videos", {"file": red, "voice": voice}, edit=json.dumps(edit)
    )
    assert response.status_code == 202, response.content
    run_worker()

    samples, rate = audio_samples(stored_file(response.json()["id"]))
    assert band_level(samples, rate, VOICE_HZ) > 0.2
    assert band_level(samples, rate, 440.0) > 0.2
    assert ExtraOriginal.objects.get().kind == "voiceover"


@pytest.mark.parametrize(
    ("files", "edit", "status", "code", "field"),
    [
        ({"take2": "png"}, {"clips": [{"upload": "take2"}]}, 415, "not_a_video", "take2"),
        ({"voice": "png"}, {"voiceover": {"upload": "voice"}}, 415, "not_audio", "voice"),
        ({"voice": "empty"}, {"voiceover": {"upload": "voice"}}, 400, "empty_file", "voice"),
        ({}, {"clips": [{"upload": "take2"}]}, 400, "invalid_edit", "edit.clips[0].upload"),
        ({"take2": "blue"}, {}, 400, "unused_file", "take2"),
        ({"take2": "long"}, {"clips": [{"upload": "take2"}]}, 400, "video_too_long", "edit.trim"),
        (
            {"take2": "blue"},
            {"clips": [{"upload": "take2"}], "voiceover": {"upload": "take2"}},
            400,
            "invalid_edit",
            "edit.voiceover.upload",
        ),
    ],
)
def test_bad_takes_and_voiceovers_are_refused_and_nothing_is_stored(
    api, alice, red, blue, long_clip, tmp_path, files, edit, status, code, field
):
    stand_ins = {"blue": blue, "long": long_clip}
    (tmp_path / "png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(500))
    (tmp_path / "empty").write_bytes(b"")
    paths = {name: stand_ins.get(kind, str(tmp_path / kind)) for name, kind in files.items()}

    response = post_files(api(alice), "videos", {"file": red, **paths}, edit=json.dumps(edit))

    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"]
    assert Video.objects.count() == 0 and ExtraOriginal.objects.count() == 0


def test_a_multi_take_draft_is_re_edited_from_every_kept_take(
    api, alice, red, blue, green, run_worker
):
    mine = api(alice)
    # A take may be called "source", like the main original's stored name.
    edit = {"clips": [{"upload": "b"}, {"upload": "source"}]}
    files = {"file": red, "b": blue, "source": green}
    response = post_files(mine, "videos", files, edit=json.dumps(edit), draft="true")
    assert response.status_code == 202, response.content
    run_worker()
    video_id = response.json()["id"]
    assert mine.get(f"videos/{video_id}").json()["duration_ms"] == 4000
    url = f"/api/v1/videos/{video_id}/captions"
    vtt = "WEBVTT\n\n00:01.200 --> 00:01.800\non blue\n\n00:02.500 --> 00:03.000\non green\n"
    put = mine.client.put(url, vtt, content_type="text/vtt", headers=mine.headers)
    assert put.status_code == 200

    first_second = {"start_ms": 0, "end_ms": 1000}
    again = {"clips": [{"upload": "source", "trim": first_second}, {"upload": "b"}]}
    assert mine.patch(f"videos/{video_id}", {"edit": again}).status_code == 200
    run_worker()

    body = mine.get(f"videos/{video_id}").json()
    assert (body["status"], body["duration_ms"]) == ("draft", 3000)
    frames = pictures(video_id)
    assert close(frames[15], RED) and close(frames[45], GREEN) and close(frames[75], BLUE)
    # The cues moved with their takes: green now plays from 1 s (its first second), blue from 2 s.
    assert mine.client.get(url, headers=mine.headers).content.decode() == (
        "WEBVTT\n\n00:00:01.500 --> 00:00:02.000\non green\n\n"
        "00:00:02.200 --> 00:00:02.800\non blue\n"
    )
    unknown = mine.patch(f"videos/{video_id}", {"edit": {"clips": [{"upload": "zz"}]}})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["field"] == "edit.clips[0].upload"


def test_captions_are_burnt_in_on_re_edit(api, alice, clips, run_worker):
    black = clips.make("takes-black.mp4", scene="solid", color=(0, 0, 0), seconds=2.0)
    mine = api(alice)
    draft = rendered(mine, black, run_worker, draft="true")
    vtt = "WEBVTT\n\n00:00.500 --> 00:01.000\nHELLO THERE\n"
    url = f"/api/v1/videos/{draft['id']}/captions"
    put = mine.client.put(url, vtt, content_type="text/vtt", headers=mine.headers)
    assert put.status_code == 200, put.content

    assert mine.patch(f"videos/{draft['id']}", {"edit": {"burn_captions": True}}).status_code == 200
    run_worker()

    frames = pictures(draft["id"])
    band = [int(f[int(0.78 * 320) : int(0.86 * 320), 20:160].max()) for f in frames]
    assert [i for i, value in enumerate(band) if value > 150] == list(range(15, 30))
    assert Video.objects.get(pk=draft["id"]).edit["burn_captions"] is True
    assert Captions.objects.filter(video_id=draft["id"]).exists()


def test_deleting_a_video_deletes_its_takes(api, alice, red, blue, run_worker):
    edit = {"clips": [{"upload": "take2"}]}
    response = post_files(api(alice), "videos", {"file": red, "take2": blue}, edit=json.dumps(edit))
    run_worker()
    kept = ExtraOriginal.objects.get()
    storage, name = kept.file.storage, kept.file.name
    assert storage.exists(name)

    assert api(alice).delete(f"videos/{response.json()['id']}").status_code == 204

    assert not storage.exists(name) and ExtraOriginal.objects.count() == 0


# --- stitch ------------------------------------------------------------------


@pytest.fixture
def original(api, alice, green, run_worker):
    """Alice's published 2 s green video (``original(allow_stitch=False)``)."""

    def make(**fields) -> str:
        fields = {k: str(v).lower() for k, v in fields.items()}
        body = rendered(api(alice), green, run_worker, **fields)
        assert body["status"] == "published"
        return body["id"]

    return make


def test_stitch_starts_with_the_original_then_the_recording(
    api, alice, bob, original, red, run_worker
):
    source = original()
    trim = json.dumps({"start_ms": 500, "end_ms": 1500})

    body = rendered(api(bob), red, run_worker, path=f"videos/{source}/stitch", source_trim=trim)

    assert (body["status"], body["duration_ms"]) == ("published", 2000)
    assert body["remix_of"]["id"] == source and body["remix_of"]["kind"] == "stitch"
    frames = pictures(body["id"])
    assert len(frames) == 60
    assert all(close(f, GREEN) for f in frames[:29]) and all(close(f, RED) for f in frames[31:])
    assert RenderJob.objects.get(video_id=body["id"]).source_trim == {
        "start_ms": 500,
        "end_ms": 1500,
    }
    inbox = api(alice).get("me/notifications").json()["items"]
    assert [(n["type"], n["actor"]["handle"]) for n in inbox] == [("stitch", "bob")]


def test_stitch_of_more_than_five_seconds_is_refused(api, bob, original, red):
    source = original()

    response = upload(
        api(bob),
        red,
        path=f"videos/{source}/stitch",
        source_trim=json.dumps({"start_ms": 0, "end_ms": 6000}),
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_source_trim", "source_trim.end_ms")
    assert Video.objects.count() == 1


def test_stitch_that_the_author_turned_off_is_forbidden(api, alice, bob, original, red):
    source = original(allow_stitch=False)
    assert api(alice).get(f"videos/{source}").json()["allow_stitch"] is False

    response = upload(api(bob), red, path=f"videos/{source}/stitch")

    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "stitch_not_allowed",
        "message": "@alice does not allow stitches of this video.",
        "field": None,
    }
    assert Video.objects.count() == 1


@pytest.mark.parametrize(
    ("setup", "status", "code"),
    [
        ("private", 404, "not_found"),
        ("followers", 404, "not_found"),
        ("followers_follower", 403, "remix_not_public"),
        ("blocked", 404, "not_found"),
        ("draft", 404, "not_found"),
        ("removed", 404, "not_found"),
    ],
)
def test_who_may_not_stitch(api, alice, bob, green, run_worker, original, red, setup, status, code):
    if setup == "draft":
        source = rendered(api(alice), green, run_worker, draft="true")["id"]
    else:
        visibilities = {"private": "private", "followers": "followers"}
        source = original(visibility=visibilities.get(setup.split("_")[0], "public"))
    if setup == "followers_follower":
        api(bob).post("users/alice/follow")
    if setup == "blocked":
        assert api(alice).post("users/bob/block").status_code in (200, 201, 204)
    if setup == "removed":
        Video.objects.filter(pk=source).update(moderation_state=ModerationState.REMOVED)

    response = upload(api(bob), red, path=f"videos/{source}/stitch")

    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert Video.objects.count() == 1


def test_a_stranger_cannot_stitch_a_followers_only_video_nor_anonymous_anyone(api, original, red):
    source = original()
    stranger = UserFactory(handle="stranger")
    assert upload(api(), red, path=f"videos/{source}/stitch").status_code in (401, 403)
    followers_only = original(visibility="followers")
    response = upload(api(stranger), red, path=f"videos/{followers_only}/stitch")
    assert response.status_code == 404
    assert Video.objects.count() == 2


def test_captions_follow_a_new_trim_and_speed(api, alice, clips, run_worker):
    black = clips.make("takes-black.mp4", scene="solid", color=(0, 0, 0), seconds=2.0)
    mine = api(alice)
    draft = rendered(mine, black, run_worker, draft="true")
    url = f"/api/v1/videos/{draft['id']}/captions"
    vtt = "WEBVTT\n\n00:00.200 --> 00:00.400\ncut away\n\n00:01.000 --> 00:01.500\nkept\n"
    assert (
        mine.client.put(url, vtt, content_type="text/vtt", headers=mine.headers).status_code == 200
    )

    edit = {"trim": {"start_ms": 500}, "speed": 2, "burn_captions": True}
    assert mine.patch(f"videos/{draft['id']}", {"edit": edit}).status_code == 200
    run_worker()

    assert mine.get(f"videos/{draft['id']}").json()["duration_ms"] == 733  # 1.5 s at 2x: 22 frames
    got = mine.client.get(url, headers=mine.headers).content.decode()
    assert got == "WEBVTT\n\n00:00:00.250 --> 00:00:00.500\nkept\n"
    frames = pictures(draft["id"])
    band = [int(f[int(0.78 * 320) : int(0.86 * 320), 20:160].max()) for f in frames]
    assert [i for i, value in enumerate(band) if value > 150] == list(range(8, 15))


def test_takes_cannot_be_joined_in_a_duet(api, bob, original, red, blue):
    source = original()
    edit = json.dumps({"clips": [{"upload": "take2"}]})

    response = post_files(
        api(bob), f"videos/{source}/duet", {"file": red, "take2": blue}, edit=edit
    )

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "edit.clips"
    assert Video.objects.count() == 1 and ExtraOriginal.objects.count() == 0


def test_too_many_files_are_refused(api, alice, red, blue):
    files = {"file": red, **{f"t{n}": blue for n in range(11)}}
    edit = json.dumps({"clips": [{"upload": f"t{n}"} for n in range(11)]})

    response = post_files(api(alice), "videos", files, edit=edit)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_many_files"
    assert Video.objects.count() == 0


def test_erasing_the_account_erases_its_takes_and_voiceovers(
    api, alice, red, blue, voice, run_worker
):
    from clipdeck.privacy.erasure import account_erase

    edit = {"clips": [{"upload": "take2"}], "voiceover": {"upload": "voice"}}
    files = {"file": red, "take2": blue, "voice": voice}
    assert post_files(api(alice), "videos", files, edit=json.dumps(edit)).status_code == 202
    run_worker()
    kept = [(row.file.storage, row.file.name) for row in ExtraOriginal.objects.all()]
    assert len(kept) == 2 and all(storage.exists(name) for storage, name in kept)

    account_erase(user=alice)

    assert ExtraOriginal.objects.count() == 0
    assert not any(storage.exists(name) for storage, name in kept)


def test_the_export_holds_every_take_and_the_voiceover(
    api, alice, red, blue, voice, run_worker, django_capture_on_commit_callbacks
):
    import io
    import zipfile

    from django.test import Client

    edit = {"clips": [{"upload": "take2"}], "voiceover": {"upload": "voice"}}
    files = {"file": red, "take2": blue, "voice": voice}
    video_id = post_files(api(alice), "videos", files, edit=json.dumps(edit)).json()["id"]
    run_worker()

    with django_capture_on_commit_callbacks(execute=True):
        created = api(alice).post("me/export").json()
    run_worker()
    url = api(alice).get(f"me/export/{created['id']}").json()["download_url"]
    response = Client().get(url)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    with open(blue, "rb") as take, open(voice, "rb") as sound:
        assert archive.read(f"originals/{video_id}-take2.mp4") == take.read()
        assert archive.read(f"originals/{video_id}-voice.m4a") == sound.read()


def test_stitching_turned_off_later_is_forbidden_too(api, alice, bob, original, red):
    source = original()
    assert api(alice).patch(f"videos/{source}", {"allow_stitch": False}).status_code == 200

    response = upload(api(bob), red, path=f"videos/{source}/stitch")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "stitch_not_allowed"


def test_a_stitch_is_withheld_when_its_source_goes_private(
    api, alice, bob, original, red, run_worker
):
    source = original()
    stitch = rendered(api(bob), red, run_worker, path=f"videos/{source}/stitch")
    assert api().get(f"videos/{stitch['id']}").status_code == 200

    api(alice).patch(f"videos/{source}", {"visibility": "private"})

    assert api().get(f"videos/{stitch['id']}").status_code == 404
    assert api(bob).get(f"videos/{stitch['id']}").json()["withheld_reason"] == "source_not_public"


def test_the_files_together_stay_within_the_upload_limit(api, alice, red, blue, settings):
    import os

    settings.CLIPDECK_MAX_UPLOAD_BYTES = os.path.getsize(red) + os.path.getsize(blue) - 1
    edit = json.dumps({"clips": [{"upload": "take2"}]})

    response = post_files(api(alice), "videos", {"file": red, "take2": blue}, edit=edit)

    assert response.status_code == 413
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("file_too_large", "file")
    assert "together" in error["message"]
    assert Video.objects.count() == 0
