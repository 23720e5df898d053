"""Every kind of input a phone, a browser or an editor produces, uploaded through the API.

Each clip is made with ``synth`` (small and short), uploaded to POST /api/v1/videos,
rendered by the worker, and read back: a published 30 fps H.264/AAC MP4 whose frame
follows the fit policy and whose sound is the source's (or silence).
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from clipdeck.videos.models import Video
from tests.studio.conftest import audio_samples, band_level, facts, frame_rgb, mean_rgb, rms
from tests.studio_web.conftest import rendered, stored_file

pytestmark = pytest.mark.django_db(transaction=True)

TONE_HZ = 440.0


def _encoder_missing(name: str) -> bool:
    return name not in av.codecs_available


INPUTS = {
    # name: (make_clip arguments, displayed width x height, has sound)
    "h264_aac.mp4": ({}, (180, 320), True),
    "h264_aac.mov": ({}, (180, 320), True),
    "vp9_opus.webm": ({"vcodec": "libvpx-vp9", "acodec": "libopus"}, (180, 320), True),
    "vp8_opus.webm": ({"vcodec": "libvpx", "acodec": "libopus"}, (180, 320), True),
    "vp8_opus.mkv": ({"vcodec": "libvpx", "acodec": "libopus"}, (180, 320), True),
    "hevc_mp3.mkv": ({"vcodec": "libx265", "acodec": "libmp3lame"}, (180, 320), True),
    "hevc_aac.mp4": ({"vcodec": "libx265"}, (180, 320), True),
    "av1_opus.mkv": ({"vcodec": "libsvtav1", "acodec": "libopus"}, (180, 320), True),
    "av1_aac.mp4": ({"vcodec": "libsvtav1"}, (180, 320), True),
    "silent.mp4": ({"acodec": None}, (180, 320), False),
    "silent_vp9.webm": ({"vcodec": "libvpx-vp9", "acodec": None}, (180, 320), False),
    "vfr.webm": ({"vcodec": "libvpx-vp9", "acodec": "libopus", "vfr": True}, (180, 320), True),
    "rotated_90.mp4": ({"width": 320, "height": 180, "rotation": 90}, (180, 320), True),
    "rotated_270.mov": ({"width": 320, "height": 180, "rotation": 270}, (180, 320), True),
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_each_input_kind_is_published_as_h264_aac(api, user, clips, run_worker, name):
    kwargs, (width, height), has_sound = INPUTS[name]
    encoder = kwargs.get("vcodec", "libx264")
    if _encoder_missing(encoder):
        pytest.skip(f"this PyAV build has no {encoder} encoder to make the clip")
    source = clips.make(name, scene="bouncing", tone_hz=TONE_HZ, **kwargs)

    body = rendered(api(user), source, run_worker)

    assert (body["status"], body["error"]) == ("published", None)
    assert (body["width"], body["height"]) == (width, height)
    assert abs(body["duration_ms"] - 1000) <= 34
    out = facts(stored_file(body["id"]))
    assert (out.video_codec, out.width, out.height, out.frames) == ("h264", width, height, 30)
    assert (out.audio_codec, out.audio_rate, out.audio_channels) == ("aac", 48000, 2)
    samples, rate = audio_samples(stored_file(body["id"]))
    if has_sound:
        assert band_level(samples, rate, TONE_HZ) > 0.3
    else:
        assert rms(samples) < 1e-3


def test_original_is_stored_with_the_suffix_of_its_content(api, user, clips, run_worker):
    """A WebM named ``.mp4`` (or ``.exe``) is stored as what it is, never by the client's name."""
    webm = clips.make("named_wrong.webm", vcodec="libvpx-vp9", acodec="libopus")
    renamed = clips.folder / "clip.exe"
    renamed.write_bytes(Path(webm).read_bytes())

    body = rendered(api(user), renamed, run_worker)

    assert body["status"] == "published"
    assert Video.objects.get(pk=body["id"]).original.name.endswith("/source.sealed.webm")


def test_rotation_is_honoured(api, user, clips, run_worker):
    """A phone's 320x180 stream tagged 90° is the 180x320 picture it displays as:
    the quadrant drawn top-left in the stored frame ends up top-right."""
    source = clips.make("quadrants_90.mp4", width=320, height=180, rotation=90, scene="quadrants")
    upright = clips.make("quadrants_0.mp4", width=320, height=180, scene="quadrants")

    turned = rendered(api(user), source, run_worker)
    plain = rendered(api(user), upright, run_worker)

    stored = frame_rgb(upright)
    picture = frame_rgb(stored_file(turned["id"]))
    assert picture.shape == (320, 180, 3)
    assert np.abs(mean_rgb(picture[:40, -40:]) - mean_rgb(stored[:40, :40])).max() < 20
    assert (plain["width"], plain["height"]) == (320, 568)


def test_landscape_is_fitted_over_a_blurred_copy_not_black_bars(api, user, clips, run_worker):
    source = clips.make("landscape.mp4", width=320, height=180, scene="solid", color=(40, 90, 220))

    body = rendered(api(user), source, run_worker)

    assert (body["width"], body["height"]) == (320, 568)
    picture = frame_rgb(stored_file(body["id"]))
    middle = mean_rgb(picture[284 - 40 : 284 + 40])
    band = mean_rgb(picture[:100])
    assert np.abs(middle - (40, 90, 220)).max() < 16
    # the band above is the same colour, darkened (x 0.55), not black
    assert np.abs(band - middle * 0.55).max() < 20
    assert band.max() > 60
