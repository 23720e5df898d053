"""synth: procedural clips and music used by the tests and the demo seeder."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path

import av
import numpy as np
import pytest

from clipdeck.studio.engine import probe
from clipdeck.studio.engine.synth import GENRES, make_clip, make_music
from clipdeck.studio.engine.synth.music import compose
from clipdeck.studio.engine.synth.priority import CAP_SYS_NICE, normal_scheduling

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


def _real_time_threads() -> set[str]:
    """Threads of this process on a real-time policy (field 41 of /proc/…/stat)."""
    found = set()
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            if fields[41 - 3] != "0":  # fields after "(comm)" start at field 3
                found.add(task.name)
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads Linux's /proc")
def test_an_av1_encode_never_makes_this_process_real_time(tmp_path):
    """SVT-AV1 asks for SCHED_FIFO 99 whenever it may (as root); two such encoders
    on two cores starve the whole machine, so make_clip must not let it."""
    seen: set[str] = set()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.update(_real_time_threads())
            time.sleep(0.002)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        make_clip(tmp_path / "a.mkv", vcodec="av1", acodec=None, seconds=1.0,
                  width=180, height=320)  # fmt: skip
    finally:
        done.set()
        watcher.join()

    assert seen == set()
    assert os.sched_getscheduler(0) == os.SCHED_OTHER
    assert probe(tmp_path / "a.mkv").video.codec == "av1"


def _effective_capabilities() -> int:
    return int(Path("/proc/thread-self/status").read_text().split("CapEff:")[1].split()[0], 16)


@pytest.mark.skipif(not Path("/proc/thread-self").exists(), reason="reads Linux's /proc")
def test_normal_scheduling_drops_the_right_to_real_time_only_inside_the_block():
    before = _effective_capabilities()
    with normal_scheduling():
        inside = _effective_capabilities()

    assert inside & (1 << CAP_SYS_NICE) == 0
    assert inside | (1 << CAP_SYS_NICE) == before | (1 << CAP_SYS_NICE)  # nothing else
    assert _effective_capabilities() == before


@pytest.mark.parametrize("world", ["hills", "city", "ocean", "bokeh"])
def test_the_demo_worlds_move_in_depth_near_layers_faster(world):
    from clipdeck.studio.engine.synth.scenes import make_scene

    draw = make_scene(world, 180, 320, seed=1, color=(200, 80, 40))
    start, later = draw(0.0)[:320].astype(int), draw(1.0)[:320].astype(int)

    changed = np.abs(later - start) > 8
    upper, lower = changed[:160].mean(), changed[160:].mean()
    assert changed.mean() > 0.01  # it moves
    assert lower > upper  # the near (lower) part of the picture moves more than the far


def test_worlds_take_the_creators_colour():
    from clipdeck.studio.engine.synth.scenes import make_scene

    warm = make_scene("hills", 180, 320, seed=1, color=(240, 60, 20))(0.0)
    cool = make_scene("hills", 180, 320, seed=1, color=(20, 60, 240))(0.0)

    v_plane = np.s_[320 + 80 :]  # V (red difference) of the lower chroma half
    assert warm[v_plane].astype(int).mean() > cool[v_plane].astype(int).mean()


def test_a_title_is_drawn_over_the_clip_and_pace_speeds_the_motion(tmp_path):
    plain = make_clip(tmp_path / "plain.mp4", seconds=1, width=180, height=320, scene="solid")
    titled = make_clip(
        tmp_path / "titled.mp4", seconds=1, width=180, height=320, scene="solid", title="Day 12"
    )

    def last_luma(path):
        with av.open(path) as container:
            frames = [f.to_ndarray(format="gray") for f in container.decode(video=0)]
        return frames[-1]

    bright = (last_luma(titled) > 200).sum() - (last_luma(plain) > 200).sum()
    assert bright > 100  # white letters

    from clipdeck.studio.engine.synth.clip import _paced

    calls = []
    _paced(lambda t: calls.append(t) or np.zeros((480, 180), np.uint8), 2.0, "", 180, 320)(1.5)
    assert calls == [3.0]


def test_a_long_title_is_shrunk_to_fit_the_frame():
    from clipdeck.studio.engine.synth.titles import Title

    title = Title("Which one is your favourite? Tell me below", 180, 320)

    columns = np.flatnonzero(title.mask.any(axis=0))
    assert columns[0] > 0 and columns[-1] < 179  # not cut at either edge
