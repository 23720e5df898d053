"""Duet (side by side) and react (picture in picture), in sync with the original."""

from __future__ import annotations

import numpy as np
import pytest

from clipdeck.studio.engine import EditSpec, Layout, Trim, render

from .conftest import audio_samples, band_level, facts, frame_rgb, mean_rgb, rms
from .test_engine_render import facts_like

RED, BLUE, GREEN = (210, 30, 30), (30, 40, 210), (30, 200, 60)
RECORDING_HZ, ORIGINAL_HZ = 440.0, 880.0


@pytest.fixture(scope="module")
def recording(media) -> str:
    """The new recording: 2 s of red with a 440 Hz tone."""
    return media.clip("rec-red.mp4", scene="solid", color=RED, tone_hz=RECORDING_HZ)


@pytest.fixture(scope="module")
def original(media) -> str:
    """The video being remixed: 3 s of blue with an 880 Hz tone."""
    return media.clip("orig-blue.mp4", scene="solid", color=BLUE, seconds=3.0, tone_hz=ORIGINAL_HZ)


def near(colour, expected, tolerance=12) -> bool:
    return bool(np.allclose(colour, expected, atol=tolerance))


def test_duet_puts_recording_left_and_original_right(recording, original, job):
    render_job = job(recording, partner=original, layout=Layout("duet"))

    result = render(render_job)

    pixels = frame_rgb(render_job.outputs.mp4, at=1.0)
    assert (result.width, result.height, result.duration_ms) == (180, 320, 2000)
    assert facts(render_job.outputs.mp4) == facts_like(width=180, height=320, frames=60)
    assert near(mean_rgb(pixels[:, 5:85]), RED)
    assert near(mean_rgb(pixels[:, 95:175]), BLUE)


def test_duet_mixes_both_sounds(recording, original, job):
    render_job = job(recording, partner=original, layout=Layout("duet"))
    render(render_job)

    samples, rate = audio_samples(render_job.outputs.mp4)

    assert band_level(samples, rate, RECORDING_HZ) > 0.2
    assert band_level(samples, rate, ORIGINAL_HZ) > 0.2


def test_duet_holds_a_shorter_original_and_silences_it(media, recording, job):
    short = media.clip(
        "orig-short.mp4", scene="solid", color=GREEN, seconds=1.0, tone_hz=ORIGINAL_HZ
    )
    render_job = job(
        recording, partner=short, layout=Layout("duet"), spec=EditSpec(original_volume=0.0)
    )

    result = render(render_job)

    samples, rate = audio_samples(render_job.outputs.mp4)
    late = frame_rgb(render_job.outputs.mp4, at=1.8)
    assert result.duration_ms == 2000
    assert near(mean_rgb(late[:, 95:175]), GREEN)
    assert rms(samples[int(0.2 * rate) : int(0.8 * rate)]) > 0.15
    assert rms(samples[int(1.2 * rate) :]) < 0.001


def test_duet_with_a_landscape_original_covers_its_half(media, recording, job):
    wide = media.clip("orig-wide.mp4", scene="solid", color=BLUE, width=640, height=360)
    render_job = job(recording, partner=wide, layout=Layout("duet"))

    result = render(render_job)

    pixels = frame_rgb(render_job.outputs.mp4)
    assert (result.width, result.height) == (180, 320)  # the recording's frame
    assert near(mean_rgb(pixels[:, 5:85]), RED)
    assert near(mean_rgb(pixels[:, 95:175]), BLUE)


def test_react_places_the_reaction_in_its_box(media, recording, job):
    big_original = media.clip(
        "orig-big.mp4",
        scene="solid",
        color=BLUE,
        width=360,
        height=640,
        seconds=3.0,
        tone_hz=ORIGINAL_HZ,
    )
    layout = Layout.from_dict({"kind": "react", "pip": {"x": 0.5, "y": 0.5, "width": 0.4}})
    render_job = job(recording, partner=big_original, layout=layout)

    result = render(render_job)

    pixels = frame_rgb(render_job.outputs.mp4, at=1.0)
    # box: width 0.4 * 360 = 144, height 256 (the reaction's 9:16), at (180, 320)
    assert (result.width, result.height, result.duration_ms) == (360, 640, 2000)
    assert near(mean_rgb(pixels[325:570, 185:318]), RED)
    assert near(mean_rgb(pixels[:310, :]), BLUE)
    assert near(mean_rgb(pixels[330:570, :170]), BLUE)
    assert near(mean_rgb(pixels[590:, :]), BLUE)


def test_react_box_is_clamped_inside_the_frame(recording, original, job):
    layout = Layout.from_dict({"kind": "react", "pip": {"x": 0.95, "y": 0.95, "width": 0.5}})
    render_job = job(recording, partner=original, layout=layout)

    render(render_job)

    pixels = frame_rgb(render_job.outputs.mp4)
    # box 90x160 pushed back to the bottom-right corner (90, 160)
    assert near(mean_rgb(pixels[165:315, 95:175]), RED)
    assert near(mean_rgb(pixels[:150, :]), BLUE)


def test_react_mixes_sounds_and_follows_the_edit(recording, original, job):
    render_job = job(
        recording,
        partner=original,
        layout=Layout("react"),
        spec=EditSpec(trim=Trim(500, 1500), speed=2.0, filter="mono"),
    )

    result = render(render_job)

    samples, rate = audio_samples(render_job.outputs.mp4)
    pixels = frame_rgb(render_job.outputs.mp4, at=0.2)
    assert result.duration_ms == 500
    assert band_level(samples, rate, RECORDING_HZ) > 0.15
    assert band_level(samples, rate, ORIGINAL_HZ) > 0.15
    assert float((pixels.max(axis=2) - pixels.min(axis=2)).mean()) < 3  # mono
