"""A worker SIGKILLed mid-render: its render dies with it, no partial file is ever
published, and a second worker finishes the job once the lease runs out.

Real ``clipdeck worker`` processes share the test's database (a migrated SQLite
file, or the PostgreSQL test database) and media folder.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from clipdeck.studio.engine.sandbox import staging_folders
from clipdeck.studio.engine.synth import make_clip
from clipdeck.studio.models import RenderJob
from clipdeck.videos.models import Video, VideoStatus
from tests.factories import UserFactory
from tests.studio.conftest import facts
from tests.studio_web.conftest import stored_file, upload
from tests.worker_processes import (
    children_of,
    is_alive,
    start_worker,
    stop,
    wait_until,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("worker_processes"),
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

LEASE_SECONDS = 2


@pytest.fixture(scope="module")
def heavy_clip(tmp_path_factory) -> str:
    """Takes a few seconds to render with a blur preset: long enough to be caught."""
    folder = tmp_path_factory.mktemp("crash")
    return make_clip(folder / "heavy.mp4", seconds=4.0, width=540, height=960, scene="gradient")


class MediaWatcher(threading.Thread):
    """Watches the video row and the media folder until stopped, noting anything that
    points at or shows a file that is not finished."""

    def __init__(self, video_id: str) -> None:
        super().__init__(name="media-watcher", daemon=True)
        self.video_id = video_id
        self.root = Path(settings.MEDIA_ROOT)
        self.stop = threading.Event()
        self.first_sizes: dict[str, int] = {}
        self.problems: list[str] = []
        self.looks = 0

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                self._look()
                self.looks += 1
                time.sleep(0.01)
            self._look()  # one last look: on a loaded machine the render may beat the poll
        finally:
            connection.close()

    def _look(self) -> None:
        row = Video.objects.filter(pk=self.video_id).values("status", "mp4", "poster").first()
        for name in ("mp4", "poster"):
            if row and row[name] and not (self.root / row[name]).is_file():
                self.problems.append(f"{name} points at missing {row[name]}")
        if row and row["status"] == VideoStatus.PUBLISHED and not row["mp4"]:
            self.problems.append("published without an mp4")
        for path in self.root.rglob("*"):
            if path.is_file() and not path.name.startswith("."):
                relative = str(path.relative_to(self.root))
                self.first_sizes.setdefault(relative, path.stat().st_size)


def _render_child(worker_pid: int, work: Path) -> int | None:
    """The worker's sandbox child, once it is writing its output."""
    for pid in children_of(worker_pid):
        staged = (f / f".video.mp4.tmp-{pid}" for f in staging_folders(worker_pid))
        if any(work.glob(f"render-*/.video.mp4.tmp-{pid}")) or any(p.exists() for p in staged):
            return pid
    return None


def test_killed_worker_leaves_no_partial_file_and_the_next_worker_finishes(
    api, heavy_clip, shared_db, tmp_path
):
    user = UserFactory()  # in the shared database
    env = {**shared_db.env(), "CLIPDECK_RENDER_LEASE_SECONDS": str(LEASE_SECONDS)}
    video_id = upload(api(user), heavy_clip, edit='{"filter": "dream"}').json()["id"]
    watcher = MediaWatcher(video_id)
    watcher.start()
    workers = []
    try:
        (tmp_path / "work-a").mkdir()
        first = start_worker({**env, "TMPDIR": str(tmp_path / "work-a")}, tmp_path / "a.log")
        workers.append(first)
        child = wait_until(
            lambda: _render_child(first.pid, tmp_path / "work-a"), 120, "the render to start"
        )

        os.kill(first.pid, signal.SIGKILL)
        first.wait()

        wait_until(lambda: not is_alive(child), 30, "the orphaned render to die")
        assert list((tmp_path / "work-a").glob("render-*/video.mp4")) == []  # died mid-way
        assert Video.objects.get(pk=video_id).status == VideoStatus.PROCESSING
        (tmp_path / "work-b").mkdir()
        second = start_worker({**env, "TMPDIR": str(tmp_path / "work-b")}, tmp_path / "b.log")
        workers.append(second)
        wait_until(
            lambda: Video.objects.get(pk=video_id).status != VideoStatus.PROCESSING,
            180,
            "the second worker to finish",
            step=0.2,
        )
    finally:
        watcher.stop.set()
        watcher.join()
        for process in workers:
            stop(process)

    video = Video.objects.get(pk=video_id)
    assert (video.status, video.error_code) == (VideoStatus.PUBLISHED, "")
    assert RenderJob.objects.get(pk=video_id).attempts == 2
    assert facts(stored_file(video.pk)).frames == 120
    assert (video.duration_ms, video.width, video.height) == (4000, 540, 960)
    assert watcher.looks > 10
    assert watcher.problems == []
    root = Path(settings.MEDIA_ROOT)
    grown = {
        name: (size, (root / name).stat().st_size)
        for name, size in watcher.first_sizes.items()
        if (root / name).stat().st_size != size
    }
    assert grown == {}, "a file was visible before it was complete"
    published = {video.mp4.name, video.mp4_720.name, video.poster.name, video.sound.audio.name}
    assert published <= set(watcher.first_sizes)
    leftovers = [p.name for p in root.rglob("*") if p.is_file() and p.name.startswith(".")]
    assert leftovers == []
