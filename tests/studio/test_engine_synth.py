"""synth: procedural clips and music used by the tests and the demo seeder."""

from __future__ import annotations

import av
import numpy as np
import pytest

from clipdeck.studio.engine import probe
from clipdeck.studio.engine.synth import GENRES, make_clip, make_music
from clipdeck.studio.engine.synth.music import compose

from .conftest import audio_samples, rms


def test_there_are_six_genres():
    assert sorted(GENRES) == ["acoustic", "ambient", "electronic", "hiphop", "lofi", "pop"]
    assert len({genre.bpm for genre in GENRES.values()}) == 6


@pytest.mark.parametrize("genre", sorted(GENRES))
def test_make_music_writes_stereo_aac_of_the_asked_length(tmp_path, genre):
    path = make_music(tmp_path / f"{genre}.m4a", genre=genre, seconds=4.0, seed=5)

    samples, _rate = audio_samples(path)
    with av.open(path) as container:
        stream = container.streams.audio[0]
        assert (stream.codec_context.name, stream.rate, stream.channels) == ("aac", 44100, 2)
        assert container.duration == pytest.approx(4_000_000, abs=30_000)
    assert 0.05 < rms(samples) < 0.3
    assert np.abs(samples).max() < 1.0


def test_music_is_seeded_and_genres_differ():
    first, again = compose("lofi", 2.0, seed=1), compose("lofi", 2.0, seed=1)
    other_seed = compose("lofi", 2.0, seed=2)
    genres = {name: compose(name, 2.0, seed=1) for name in GENRES}

    assert np.array_equal(first, again)
    assert not np.allclose(first, other_seed, atol=1e-3)
    names = sorted(genres)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert np.abs(genres[a] - genres[b]).mean() > 0.02, (a, b)


def test_make_clip_writes_what_was_asked(tmp_path):
    path = make_clip(
        tmp_path / "clip.webm",
        seconds=1.0,
        width=320,
        height=180,
        vcodec="libvpx-vp9",
        acodec="libopus",
        rotation=270,
        scene="bars",
    )

    info = probe(path)

    assert (info.video.codec, info.video.width, info.video.height) == ("vp9", 320, 180)
    assert (info.video.rotation, info.video.display_width) == (270, 180)
    assert (info.audio.codec, info.duration_ms) == ("opus", 1000)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(vcodec="libnothing"), "encoder 'libnothing' is not available"),
        (dict(width=181), "width and height must be even"),
        (dict(scene="fireworks"), "unknown scene 'fireworks'"),
    ],
)
def test_make_clip_refuses_bad_arguments(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_clip(tmp_path / "x.mp4", seconds=0.1, **kwargs)
