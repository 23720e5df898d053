"""Background music: mixing, lip-sync (original muted), offset, volume, limiting."""

from __future__ import annotations

import numpy as np
import pytest

from clipdeck.studio.engine import EditSpec, MediaError, Sound, render

from .conftest import MUSIC_HZ, SOURCE_HZ, audio_samples, band_level, dominant_hz, rms


@pytest.fixture(scope="module")
def music(media) -> str:
    """3 s of a 1500 Hz tone (amplitude 0.3) as AAC .m4a."""
    return media.tone("music-1500.m4a", hz=MUSIC_HZ, seconds=3.0)


def rendered_sound(job, source, **edit) -> tuple[np.ndarray, int]:
    render_job = job(source, spec=EditSpec(**edit))
    render(render_job)
    return audio_samples(render_job.outputs.mp4)


def test_lip_sync_keeps_only_the_music(portrait, music, job):
    samples, rate = rendered_sound(job, portrait, sound=Sound(music), original_volume=0.0)

    assert dominant_hz(samples, rate) == pytest.approx(MUSIC_HZ, abs=3)
    assert band_level(samples, rate, SOURCE_HZ) < 0.01
    assert band_level(samples, rate, MUSIC_HZ) > 0.5


def test_music_is_mixed_with_the_original_sound(portrait, music, job):
    samples, rate = rendered_sound(job, portrait, sound=Sound(music), original_volume=1.0)

    assert band_level(samples, rate, SOURCE_HZ) > 0.2
    assert band_level(samples, rate, MUSIC_HZ) > 0.2


def test_offset_starts_the_music_later_in_the_file(media, portrait, job):
    two_part = media.tone("two-part.m4a", parts=[(600.0, 1.0), (MUSIC_HZ, 2.0)])

    samples, rate = rendered_sound(
        job, portrait, sound=Sound(two_part, offset_ms=1000), original_volume=0.0
    )
    unshifted, _ = rendered_sound(job, portrait, sound=Sound(two_part), original_volume=0.0)

    assert dominant_hz(samples[: rate // 2], rate) == pytest.approx(MUSIC_HZ, abs=5)
    assert dominant_hz(unshifted[: rate // 2], rate) == pytest.approx(600.0, abs=5)


def test_music_volume_scales_its_level(portrait, music, job):
    full, _ = rendered_sound(job, portrait, sound=Sound(music, volume=1.0), original_volume=0.0)
    half, _ = rendered_sound(job, portrait, sound=Sound(music, volume=0.5), original_volume=0.0)
    middle = slice(24000, 72000)

    assert rms(half[middle]) / rms(full[middle]) == pytest.approx(0.5, abs=0.03)
    assert rms(full[middle]) == pytest.approx(0.3 / np.sqrt(2), rel=0.05)


def test_music_shorter_than_the_video_ends_in_silence(media, portrait, job):
    short = media.tone("short.m4a", hz=MUSIC_HZ, seconds=0.8)

    samples, rate = rendered_sound(job, portrait, sound=Sound(short), original_volume=0.0)

    assert rms(samples[int(1.2 * rate) :]) < 0.001
    assert rms(samples[: int(0.6 * rate)]) > 0.15


def test_speed_does_not_change_the_music(portrait, music, job):
    samples, rate = rendered_sound(
        job, portrait, sound=Sound(music), original_volume=0.0, speed=2.0
    )

    assert len(samples) / rate == pytest.approx(1.0, abs=0.03)
    assert dominant_hz(samples, rate) == pytest.approx(MUSIC_HZ, abs=5)


def test_silent_video_with_music(media, music, job):
    samples, rate = rendered_sound(job, media.clip("silent.mp4", acodec=None), sound=Sound(music))

    assert dominant_hz(samples, rate) == pytest.approx(MUSIC_HZ, abs=3)


def test_loud_mix_is_limited(portrait, music, job):
    samples, _ = rendered_sound(job, portrait, sound=Sound(music, volume=2.0), original_volume=2.0)

    assert np.abs(samples).max() < 0.97
    assert rms(samples) > 0.3


def test_unusable_sound_is_refused(portrait, job, tmp_path):
    not_sound = tmp_path / "notes.m4a"
    not_sound.write_text("these are not sounds")

    with pytest.raises(MediaError) as error:
        render(job(portrait, spec=EditSpec(sound=Sound(str(not_sound)))))

    assert error.value.code == "sound_unusable"
    assert error.value.message == (
        "The selected sound could not be read; please choose another one."
    )
