"""Crash safety: a killed or failed render never leaves a file at a final path."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from clipdeck.studio.engine import EditSpec, Limits, MediaError, RenderJob, RenderOutputs, render
from clipdeck.studio.engine.atomic import clean_stale, temp_path
from clipdeck.studio.engine.sandbox import PROJECT_ROOT

from .conftest import facts
from .test_engine_render import facts_like


def _outputs(folder: Path) -> RenderOutputs:
    return RenderOutputs(
        mp4=str(folder / "video.mp4"),
        mp4_720=str(folder / "video-720.mp4"),
        poster=str(folder / "poster.jpg"),
        audio=str(folder / "sound.m4a"),
    )


def _start_render_child(job: RenderJob) -> subprocess.Popen:
    payload = json.dumps({"job": job.to_dict(), "limits": Limits().to_dict()})
    env = {**os.environ, "PYTHONPATH": PROJECT_ROOT}
    return subprocess.Popen(
        [sys.executable, "-m", "clipdeck.studio.engine.sandbox", "render", payload],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for_writing(path: str, child: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and child.poll() is None:
        if os.path.exists(path) and os.path.getsize(path) > 10_000:
            return
        time.sleep(0.01)
    pytest.fail("the render child never started writing its output")


def test_killed_render_leaves_no_final_file_and_a_rerun_completes(media, tmp_path):
    source = media.clip("medium.mp4", width=360, height=640, seconds=3.0, scene="gradient")
    out = _outputs(tmp_path)
    job = RenderJob(source=source, outputs=out, spec=EditSpec(filter="dream"))
    child = _start_render_child(job)
    temp = f"{os.path.dirname(out.mp4)}/.video.mp4.tmp-{child.pid}"

    _wait_for_writing(temp, child)
    child.send_signal(signal.SIGKILL)
    child.wait()

    left = sorted(p.name for p in tmp_path.iterdir())
    assert f".video.mp4.tmp-{child.pid}" in left
    assert all(name.startswith(".") and name.endswith(f".tmp-{child.pid}") for name in left)
    result = render(job)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "poster.jpg",
        "sound.m4a",
        "video-720.mp4",
        "video.mp4",
    ]
    assert facts(out.mp4) == facts_like(width=360, height=640, frames=90)
    assert result.duration_ms == 3000


def test_failed_render_removes_its_temporary_files(portrait, tmp_path):
    damaged = tmp_path / "damaged.mp4"
    data = bytearray(Path(portrait).read_bytes())
    rng = np.random.default_rng(3)
    for index in rng.integers(len(data) // 4, len(data) // 2, 300):
        data[index] ^= 0xFF
    damaged.write_bytes(bytes(data))
    out = _outputs(tmp_path / "out")

    with pytest.raises(MediaError) as error:
        render(RenderJob(source=str(damaged), outputs=out))

    assert error.value.code == "corrupt_media"
    assert list((tmp_path / "out").iterdir()) == []


def test_existing_output_is_replaced_whole(portrait, tmp_path):
    out = RenderOutputs(mp4=str(tmp_path / "video.mp4"))
    Path(out.mp4).write_bytes(b"an older version")

    render(RenderJob(source=portrait, outputs=out))

    assert facts(out.mp4) == facts_like(width=180, height=320, frames=60)


def test_stale_temporary_files_of_dead_processes_are_removed(tmp_path):
    final = str(tmp_path / "video.mp4")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = Path(f"{tmp_path}/.video.mp4.tmp-{dead.pid}")
    stale.write_bytes(b"half a video")
    mine = Path(temp_path(final))
    mine.write_bytes(b"in progress")

    removed = clean_stale(final)

    assert removed == [str(stale)]
    assert (stale.exists(), mine.exists()) == (False, True)
    assert mine.name == f".video.mp4.tmp-{os.getpid()}"
