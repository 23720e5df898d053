"""The sandboxed render dies with the process that started it (PR_SET_PDEATHSIG)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from clipdeck.studio.engine.sandbox import staging_folders
from clipdeck.studio.engine.synth import make_clip
from tests.worker_processes import PROJECT_ROOT, children_of, is_alive, wait_until

pytestmark = [
    pytest.mark.xdist_group("worker_processes"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux"),
]

# A render of ten minutes of full-HD pictures: it would run for minutes if orphaned.
PARENT = """
import sys
from clipdeck.studio.engine import EditSpec, Limits, RenderJob, RenderOutputs, safe_render

job = RenderJob(
    source=sys.argv[1],
    outputs=RenderOutputs(mp4=sys.argv[2]),
    spec=EditSpec(filter="teal_orange"),
    max_output_ms=600_000,
)
safe_render(job, Limits(wall_seconds=3600, cpu_seconds=7200))
"""


@pytest.fixture(autouse=True)
def _media_and_cache():
    """No database or media settings needed here."""
    yield


@pytest.fixture(scope="module")
def endless(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("parent_death")
    return make_clip(folder / "endless.mp4", seconds=300.0, width=1080, height=1920, fps=1,
                     scene="solid", acodec=None)  # fmt: skip


def _sandbox_child(parent: int) -> int | None:
    for pid in children_of(parent):
        if b"clipdeck.studio.engine.sandbox" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return pid
    return None


def test_killed_parent_takes_its_render_with_it(endless, tmp_path):
    output = tmp_path / "video.mp4"
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, endless, str(output)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    child = None
    try:
        child = wait_until(lambda: _sandbox_child(parent.pid), 60, "the sandbox child")
        name = f".video.mp4.tmp-{child}"
        folders = [tmp_path, *staging_folders(parent.pid)]
        wait_until(lambda: any((f / name).exists() for f in folders), 60, "the render to write")

        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()

        wait_until(lambda: not is_alive(child), 30, "the orphaned render to die")
        assert not output.exists()
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if child is not None and is_alive(child):
            os.kill(child, signal.SIGKILL)
