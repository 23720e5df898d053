"""Each edit of the API's ``edit`` object, applied by the worker and checked in the result."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clipdeck.studio.engine.presets import PRESETS
from clipdeck.studio.engine.synth import make_tone
from clipdeck.videos.models import Sound, Video
from tests.factories import SoundFactory
from tests.studio.conftest import audio_samples, band_level, facts, frame_rgb, rms
from tests.studio_web.conftest import rendered, stored_file, upload

pytestmark = pytest.mark.django_db(transaction=True)

SOURCE_HZ = 440.0
MUSIC_HZ, MUSIC_LATE_HZ = 1500.0, 2500.0


@pytest.fixture(scope="module")
def two_seconds(clips) -> str:
    return clips.make("two_seconds.mp4", seconds=2.0, scene="bouncing", tone_hz=SOURCE_HZ)


@pytest.fixture(scope="module")
def colourful(clips) -> str:
    return clips.make("bars.mp4", width=144, height=256, scene="bars")


@pytest.fixture(scope="module")
def music_parts(clip_dir) -> str:
    """1 s at 1500 Hz, then 3 s at 2500 Hz: the offset decides which one is heard."""
    return make_tone(
        clip_dir / "music_parts.m4a", parts=[(MUSIC_HZ, 1.0), (MUSIC_LATE_HZ, 3.0)], amplitude=0.3
    )


@pytest.fixture
def tone_sound(db, music_parts) -> Sound:
    from django.core.files import File

    sound = SoundFactory(genre="test", duration_ms=4000)
    with open(music_parts, "rb") as handle:
        sound.audio.save("library/parts.m4a", File(handle))
    return sound


def _edit(**edit) -> dict:
    return {"edit": json.dumps(edit)}


@pytest.mark.parametrize(
    ("edit", "duration_ms", "frames"),
    [
        ({"trim": {"start_ms": 500, "end_ms": 1500}}, 1000, 30),
        ({"speed": 0.5, "trim": {"start_ms": 0, "end_ms": 1000}}, 2000, 60),
        ({"speed": 1.5}, 1333, 40),
        ({"speed": 3}, 667, 20),
        ({"speed": 2, "trim": {"start_ms": 1000}}, 500, 15),
    ],
)
def test_trim_and_speed_set_the_length(
    api, user, two_seconds, run_worker, edit, duration_ms, frames
):
    body = rendered(api(user), two_seconds, run_worker, **_edit(**edit))

    assert body["status"] == "published"
    assert body["duration_ms"] == duration_ms
    assert facts(stored_file(body["id"])).frames == frames
    stored = Video.objects.get(pk=body["id"]).edit
    assert stored["speed"] == edit.get("speed", 1.0)


def test_speed_keeps_the_pitch(api, user, two_seconds, run_worker):
    body = rendered(api(user), two_seconds, run_worker, **_edit(speed=2))

    samples, rate = audio_samples(stored_file(body["id"]))
    assert band_level(samples, rate, SOURCE_HZ) > 0.3
    assert band_level(samples, rate, 2 * SOURCE_HZ) < 0.05


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_each_filter_preset_changes_the_picture_as_named(api, user, colourful, run_worker, name):
    body = rendered(api(user), colourful, run_worker, **_edit(filter=name))

    assert body["status"] == "published"
    picture = frame_rgb(stored_file(body["id"])).astype(np.int16)
    source = frame_rgb(colourful).astype(np.int16)
    difference = np.abs(picture - source).mean()
    if name == "none":
        assert difference < 4
    else:
        assert difference > 4, f"{name} left the picture as it was"
    if name in ("mono", "noir"):
        assert np.abs(picture[..., 0] - picture[..., 2]).max() <= 6


def test_unknown_filter_is_refused_before_anything_is_stored(api, user, colourful):
    response = upload(api(user), colourful, **_edit(filter="sepia2"))

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_edit", "edit.filter")
    assert error["message"].startswith("Unknown filter 'sepia2'; choose one of none, vivid")
    assert not Video.objects.exists()


@pytest.mark.parametrize(
    ("edit", "field", "message"),
    [
        ({"speed": 4}, "edit.speed", "Speed must be between 0.5 and 3 (got 4)."),
        ({"speed": 0.25}, "edit.speed", "Speed must be between 0.5 and 3 (got 0.25)."),
        (
            {"trim": {"start_ms": 5000}},
            "edit.trim.start_ms",
            "The trim starts at 5.0 s but the video is only 2.0 s long.",
        ),
        (
            {"sound": {"id": 999999}},
            "edit.sound.id",
            "That sound does not exist or is not available.",
        ),
    ],
)
def test_bad_edit_values_are_refused_at_upload(api, user, two_seconds, edit, field, message):
    response = upload(api(user), two_seconds, **_edit(**edit))

    assert response.status_code == 400
    assert response.json()["error"] == {"code": "invalid_edit", "message": message, "field": field}
    assert not Video.objects.exists()


def test_music_from_an_offset_at_a_volume_is_mixed_with_the_original(
    api, user, two_seconds, tone_sound, run_worker
):
    edit = _edit(sound={"id": tone_sound.pk, "offset_ms": 1000, "volume": 0.5})

    body = rendered(api(user), two_seconds, run_worker, **edit)

    assert body["status"] == "published"
    assert body["sound"]["id"] == tone_sound.pk
    samples, rate = audio_samples(stored_file(body["id"]))
    assert band_level(samples, rate, SOURCE_HZ) > 0.2
    assert band_level(samples, rate, MUSIC_LATE_HZ) > 0.1
    assert band_level(samples, rate, MUSIC_HZ) < 0.02
    # no "original sound" is made of a video that uses a library sound
    assert not Sound.objects.filter(is_original=True).exists()


def test_music_volume_scales_the_music(api, user, two_seconds, tone_sound, run_worker):
    client = api(user)
    loud = rendered(
        client, two_seconds, run_worker, **_edit(sound={"id": tone_sound.pk}, original_volume=0)
    )
    quiet = rendered(
        client,
        two_seconds,
        run_worker,
        **_edit(sound={"id": tone_sound.pk, "volume": 0.25}, original_volume=0),
    )

    loud_rms = rms(audio_samples(stored_file(loud["id"]))[0])
    quiet_rms = rms(audio_samples(stored_file(quiet["id"]))[0])
    assert quiet_rms == pytest.approx(loud_rms * 0.25, rel=0.15)


def test_lip_sync_keeps_only_the_music(api, user, two_seconds, tone_sound, run_worker):
    edit = _edit(sound={"id": tone_sound.pk}, original_volume=0)

    body = rendered(api(user), two_seconds, run_worker, **edit)

    samples, rate = audio_samples(stored_file(body["id"]))
    assert band_level(samples, rate, SOURCE_HZ) < 0.01
    assert band_level(samples, rate, MUSIC_HZ) > 0.2


def test_original_volume_zero_without_music_is_silent(api, user, two_seconds, run_worker):
    body = rendered(api(user), two_seconds, run_worker, **_edit(original_volume=0))

    assert body["status"] == "published"
    assert rms(audio_samples(stored_file(body["id"]))[0]) < 1e-3
