"""Joined parts (several takes, a stitch), a voice-over and burnt-in captions."""

from __future__ import annotations

import numpy as np
import pytest

from clipdeck.studio.engine import (
    CaptionCue,
    Clip,
    EditSpec,
    Layout,
    MediaError,
    Sound,
    SpecError,
    Trim,
    Voiceover,
    render,
)

from .conftest import audio_samples, band_level, facts, frame_rgb, mean_rgb, rms

RED, BLUE, GREEN = (210, 30, 30), (30, 40, 210), (30, 200, 60)
TAKE1_HZ, TAKE2_HZ, VOICE_HZ = 440.0, 660.0, 1500.0


def near(colour, expected, tolerance=14) -> bool:
    return bool(np.allclose(colour, expected, atol=tolerance))


@pytest.fixture(scope="module")
def take1(media) -> str:
    """1.5 s of red with a 440 Hz tone, 180x320."""
    return media.clip("take1-red.mp4", scene="solid", color=RED, seconds=1.5, tone_hz=TAKE1_HZ)


@pytest.fixture(scope="module")
def take2(media) -> str:
    """1 s of blue with a 660 Hz tone, landscape 320x180 (fitted into the first take's frame)."""
    return media.clip(
        "take2-blue.mp4",
        scene="solid",
        color=BLUE,
        seconds=1.0,
        tone_hz=TAKE2_HZ,
        width=320,
        height=180,
    )


@pytest.fixture(scope="module")
def take3(media) -> str:
    """1 s of green, rotated 90° and at 24 fps, with no sound at all."""
    return media.clip(
        "take3-green.mp4",
        scene="solid",
        color=GREEN,
        seconds=1.0,
        width=320,
        height=180,
        rotation=90,
        fps=24,
        acodec=None,
    )


def frames_rgb(path: str) -> list[np.ndarray]:
    import av

    with av.open(path) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def centre(pixels: np.ndarray) -> np.ndarray:
    h, w, _ = pixels.shape
    return mean_rgb(pixels[h // 2 - 10 : h // 2 + 10, w // 2 - 10 : w // 2 + 10])


def test_takes_are_joined_in_order_without_a_gap(take1, take2, take3, job):
    spec = EditSpec(clips=(Clip(take2), Clip(take3, trim=Trim(200, 900))))
    render_job = job(take1, spec=spec)

    result = render(render_job)

    pictures = frames_rgb(render_job.outputs.mp4)
    assert (result.width, result.height) == (180, 320)
    assert len(pictures) == 45 + 30 + 21  # 1.5 s + 1 s + 0.7 s at 30 fps, nothing between
    assert result.duration_ms == 3200
    assert all(near(centre(p), RED) for p in pictures[:44])
    assert all(near(centre(p), BLUE) for p in pictures[46:74])
    assert all(near(centre(p), GREEN) for p in pictures[76:])
    assert facts(render_job.outputs.mp4).audio_seconds == pytest.approx(3.2, abs=0.03)


def test_takes_join_without_an_audio_click(media, job):
    # Cut mid-wave: the first take stops at a non-zero part of its sine.
    first = media.clip("click-a.mp4", scene="solid", color=RED, seconds=1.2, tone_hz=437.0)
    second = media.clip("click-b.mp4", scene="solid", color=BLUE, seconds=1.2, tone_hz=611.0)
    spec = EditSpec(trim=Trim(10, 1010), clips=(Clip(second, trim=Trim(124, 1124)),))
    render_job = job(first, spec=spec)
    render(render_job)

    samples, rate = audio_samples(render_job.outputs.mp4)
    jumps = np.abs(np.diff(samples))
    join = rate  # the first take lasts exactly 1 s
    at_join = jumps[join - rate // 50 : join + rate // 50].max()
    # The largest step either tone makes on its own (the 611 Hz one's is larger).
    first, second = jumps[rate // 4 : rate // 2], jumps[rate + rate // 4 : rate + rate // 2]
    steady = max(first.max(), second.max())
    assert at_join <= 1.2 * steady
    assert rms(samples[rate // 4 : rate // 2]) > 0.05  # there is sound either side
    assert rms(samples[rate + rate // 4 : rate + rate // 2]) > 0.05


def test_each_take_keeps_its_own_sound_and_a_silent_take_is_silent(take1, take2, take3, job):
    render_job = job(take1, spec=EditSpec(clips=(Clip(take2), Clip(take3))))
    render(render_job)

    samples, rate = audio_samples(render_job.outputs.mp4)
    first, second = samples[: int(1.4 * rate)], samples[int(1.6 * rate) : int(2.4 * rate)]
    assert band_level(first, rate, TAKE1_HZ) > 0.3
    assert band_level(second, rate, TAKE2_HZ) > 0.3
    assert rms(samples[int(2.6 * rate) :]) < 0.005


def test_speed_applies_to_every_take(take1, take2, job):
    render_job = job(take1, spec=EditSpec(speed=2.0, clips=(Clip(take2),)))
    result = render(render_job)
    assert result.duration_ms == 1233  # (22 + 15) frames: 0.75 s + 0.5 s, whole frames


def test_the_sum_of_takes_respects_the_length_limit(take1, take2, job):
    render_job = job(take1, spec=EditSpec(clips=(Clip(take2),)), max_output_ms=2000)
    with pytest.raises(MediaError) as refused:
        render(render_job)
    assert refused.value.code == "video_too_long"
    assert "2.5 s" in refused.value.message


def test_a_take_trimmed_past_its_end_is_named(take1, take2, job):
    render_job = job(take1, spec=EditSpec(clips=(Clip(take2, trim=Trim(5000, 6000)),)))
    with pytest.raises(MediaError) as refused:
        render(render_job)
    assert refused.value.code == "trim_out_of_range"
    assert "take 2" in refused.value.message


def test_stitch_starts_with_the_original_then_the_recording(media, take1, job):
    original = media.clip(
        "stitch-orig.mp4", scene="solid", color=GREEN, seconds=3.0, tone_hz=TAKE2_HZ
    )
    layout = Layout(kind="stitch", source_trim=Trim(1000, 2000))
    render_job = job(take1, partner=original, layout=layout)

    result = render(render_job)

    pictures = frames_rgb(render_job.outputs.mp4)
    assert len(pictures) == 30 + 45 and result.duration_ms == 2500
    assert all(near(centre(p), GREEN) for p in pictures[:29])
    assert all(near(centre(p), RED) for p in pictures[31:])
    samples, rate = audio_samples(render_job.outputs.mp4)
    assert band_level(samples[: int(0.9 * rate)], rate, TAKE2_HZ) > 0.3
    assert band_level(samples[int(1.1 * rate) :], rate, TAKE1_HZ) > 0.3


def test_stitch_takes_at_most_five_seconds_of_the_original():
    with pytest.raises(SpecError) as refused:
        Layout.from_dict({"kind": "stitch", "source_trim": {"start_ms": 0, "end_ms": 6000}})
    assert refused.value.field == "layout.source_trim.end_ms"


def test_voiceover_is_mixed_over_the_result_at_its_volume(media, take1, take2, job):
    voice = media.tone("voice.m4a", hz=VOICE_HZ, seconds=4.0, amplitude=0.3)
    loud = job(take1, spec=EditSpec(speed=2.0, voiceover=Voiceover(voice, 1.0)))
    quiet = job(take1, spec=EditSpec(speed=2.0, voiceover=Voiceover(voice, 0.25)))
    quiet = type(quiet)(**{**quiet.__dict__, "outputs": quiet.outputs.__class__(
        mp4=quiet.outputs.mp4.replace("video.mp4", "quiet.mp4"))})  # fmt: skip
    render(loud)
    render(quiet)

    def voice_rms(path: str) -> float:
        samples, rate = audio_samples(path)
        spectrum = np.fft.rfft(samples)
        freqs = np.fft.rfftfreq(len(samples), 1 / rate)
        spectrum[(freqs < VOICE_HZ - 30) | (freqs > VOICE_HZ + 30)] = 0
        return rms(np.fft.irfft(spectrum, len(samples)))

    samples, rate = audio_samples(loud.outputs.mp4)
    assert band_level(samples, rate, TAKE1_HZ) > 0.1  # the original sound is kept
    assert dominant_band(samples, rate) == pytest.approx(VOICE_HZ, abs=5)  # not sped up
    # A sine of amplitude 0.3 has an RMS of 0.21 (a little less after the limiter).
    assert voice_rms(loud.outputs.mp4) == pytest.approx(0.21, abs=0.03)
    assert voice_rms(quiet.outputs.mp4) == pytest.approx(0.21 * 0.25, abs=0.01)


def dominant_band(samples, rate) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    above = freqs > 1000
    return float(freqs[above][int(np.argmax(spectrum[above]))])


def test_voiceover_over_joined_takes(media, take1, take2, job):
    voice = media.tone("voice-long.m4a", hz=VOICE_HZ, seconds=4.0, amplitude=0.3)
    render_job = job(take1, spec=EditSpec(clips=(Clip(take2),), voiceover=Voiceover(voice)))
    render(render_job)
    samples, rate = audio_samples(render_job.outputs.mp4)
    assert band_level(samples[int(1.6 * rate) :], rate, VOICE_HZ) > 0.2
    assert band_level(samples[int(1.6 * rate) :], rate, TAKE2_HZ) > 0.2


def test_a_picture_file_is_no_voiceover(media, take1, job, tmp_path):
    png = tmp_path / "voice.m4a"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    render_job = job(take1, spec=EditSpec(voiceover=Voiceover(str(png))))
    with pytest.raises(MediaError) as refused:
        render(render_job)
    assert refused.value.code == "not_audio"
    assert "PNG image" in refused.value.message


def test_captions_are_burnt_in_at_their_times_only(media, job):
    black = media.clip("cap-black.mp4", scene="solid", color=(0, 0, 0), seconds=2.0)
    cues = (CaptionCue(500, 1000, "HELLO THERE"), CaptionCue(1500, 1800, "AGAIN"))
    render_job = job(black, spec=EditSpec(captions=cues))
    render(render_job)

    pictures = frames_rgb(render_job.outputs.mp4)
    band = [p[int(0.78 * 320) : int(0.86 * 320), 20:160].max() for p in pictures]
    lit = [index for index, value in enumerate(band) if value > 150]
    assert lit == list(range(15, 30)) + list(range(45, 54))


def test_captions_follow_the_joined_timeline(take1, take2, job):
    cues = (CaptionCue(1600, 2400, "SECOND TAKE"),)
    render_job = job(take1, spec=EditSpec(clips=(Clip(take2),), captions=cues))
    render(render_job)
    pictures = frames_rgb(render_job.outputs.mp4)
    white = [int((p[int(0.78 * 320) : int(0.86 * 320)] > 230).all(axis=2).sum()) for p in pictures]
    assert all(white[i] > 20 for i in range(49, 72))
    assert all(white[i] == 0 for i in range(0, 47))
    assert frame_rgb(render_job.outputs.mp4, at=2.0).shape == (320, 180, 3)


def test_browser_recordings_join_exactly(media, job):
    # MediaRecorder's WebM: VP9 + Opus, irregular frame times, no container duration.
    first = media.clip("rec1.webm", vcodec="libvpx-vp9", acodec="libopus", vfr=True, seconds=1.0)
    second = media.clip(
        "rec2.webm", vcodec="libvpx-vp9", acodec="libopus", vfr=True, seconds=1.0, color=BLUE,
        scene="solid",
    )  # fmt: skip
    render_job = job(first, spec=EditSpec(clips=(Clip(second),)))

    result = render(render_job)

    length = facts(render_job.outputs.mp4)
    assert result.duration_ms == pytest.approx(2000, abs=70)
    assert length.frames == round(result.duration_ms * 30 / 1000)
    assert length.audio_seconds == pytest.approx(length.frames / 30, abs=0.03)


@pytest.mark.parametrize("name", ["voice.webm", "voice.mp3", "voice.wav"])
def test_a_recorded_voiceover_in_any_accepted_format_is_mixed(media, take1, job, name):
    # MediaRecorder records sound alone as Opus in WebM; phones give M4A, MP3 or WAV.
    voice = media.tone(name, hz=VOICE_HZ, seconds=2.0)
    render_job = job(take1, spec=EditSpec(voiceover=Voiceover(voice, 1.0)))

    render(render_job)

    samples, rate = audio_samples(render_job.outputs.mp4)
    assert band_level(samples, rate, VOICE_HZ) > 0.2


def test_takes_with_their_sound_off_carry_only_the_music(media, take1, take2, job):
    music = media.tone("takes-music.m4a", hz=VOICE_HZ, seconds=4.0)
    spec = EditSpec(original_volume=0.0, sound=Sound(music, volume=1.0), clips=(Clip(take2),))
    render_job = job(take1, spec=spec)

    result = render(render_job)

    samples, rate = audio_samples(render_job.outputs.mp4)
    assert result.duration_ms == 2500
    assert band_level(samples, rate, VOICE_HZ) > 0.5
    assert band_level(samples, rate, TAKE1_HZ) < 0.01 and band_level(samples, rate, TAKE2_HZ) < 0.01


def test_a_stitch_may_join_takes_after_the_recording(media, take1, take2, job):
    original = media.clip(
        "stitch-orig.mp4", scene="solid", color=GREEN, seconds=3.0, tone_hz=TAKE2_HZ
    )
    layout = Layout(kind="stitch", source_trim=Trim(0, 500))
    render_job = job(take1, partner=original, layout=layout, spec=EditSpec(clips=(Clip(take2),)))

    result = render(render_job)

    pictures = frames_rgb(render_job.outputs.mp4)
    assert result.duration_ms == 3000 and len(pictures) == 15 + 45 + 30
    assert near(centre(pictures[7]), GREEN)
    assert near(centre(pictures[40]), RED)
    assert near(centre(pictures[80]), BLUE)
