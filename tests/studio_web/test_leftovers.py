"""What a render killed part-way leaves behind is cleared: work folders of dead
workers, and stored outputs that no row references."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.files.storage import default_storage

from clipdeck.runtime.scheduler import start_scheduler
from clipdeck.studio import leftovers, rendering
from clipdeck.studio.engine.errors import MediaError
from clipdeck.videos.models import Sound, Video, VideoStatus
from tests.factories import UserFactory
from tests.studio_web.conftest import upload
from tests.worker_processes import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _stored(video: Video) -> set[str]:
    names = set()
    for folder in (f"videos/{video.pk}", f"sounds/{video.pk}"):
        if default_storage.exists(folder):
            names |= {f"{folder}/{name}" for name in default_storage.listdir(folder)[1]}
    return names


def _referenced(video: Video) -> set[str]:
    names = {field.name for field in (video.mp4, video.mp4_720, video.poster) if field}
    return names | set(Sound.objects.filter(source_video=video).values_list("audio", flat=True))


@pytest.fixture
def crashed_once(api, portrait_clip, monkeypatch, run_worker):
    """A video whose first render died after storing its outputs, before publishing."""

    def crash(**kwargs):
        raise RuntimeError("worker lost between storing and publishing")

    monkeypatch.setattr(rendering, "video_mark_ready", crash)
    video_id = upload(api(UserFactory()), portrait_clip).json()["id"]
    run_worker()
    monkeypatch.undo()
    video = Video.objects.get(pk=video_id)
    assert video.status == VideoStatus.PROCESSING and not video.mp4
    assert len(_stored(video)) >= 3  # mp4, 720p, poster (and the sound) with no row
    return video


def test_the_next_attempt_publishes_and_deletes_what_the_dead_one_stored(crashed_once):
    orphans = _stored(crashed_once)

    rendering.render(crashed_once.pk)

    video = Video.objects.get(pk=crashed_once.pk)
    assert video.status == VideoStatus.PUBLISHED
    assert _stored(video) == _referenced(video)
    assert orphans.isdisjoint(_stored(video))
    assert all(default_storage.exists(name) for name in _referenced(video))


def test_a_later_failure_deletes_what_the_dead_attempt_stored(crashed_once, monkeypatch):
    def bad_media(job, work):
        raise MediaError("corrupt_media", "The video could not be decoded; the file is damaged.")

    monkeypatch.setattr(rendering, "_render_in_sandbox", bad_media)

    rendering.render(crashed_once.pk)

    video = Video.objects.get(pk=crashed_once.pk)
    assert video.status == VideoStatus.FAILED
    assert _stored(video) == set()
    assert default_storage.exists(video.original.name)  # the upload is kept


def test_files_in_use_are_kept(api, portrait_clip, run_worker):
    video_id = upload(api(UserFactory()), portrait_clip).json()["id"]
    run_worker()
    video = Video.objects.get(pk=video_id)

    assert leftovers.delete_unreferenced_outputs(video) == []
    assert _stored(video) == _referenced(video) != set()


def test_work_folders_of_dead_workers_are_removed_and_live_ones_kept(tmp_path):
    dead = tmp_path / f"render-{_dead_pid()}-abc"
    live = tmp_path / f"render-{os.getpid()}-def"
    other = tmp_path / "render-unnamed"
    for folder in (dead, live, other):
        folder.mkdir()
        (folder / ".video.mp4.tmp-1").write_bytes(b"half a video")

    removed = leftovers.delete_dead_work_dirs(tmp_path)

    assert removed == [dead.name]
    assert not dead.exists() and live.exists() and other.exists()


def test_the_worker_scheduler_removes_dead_work_folders(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    dead = tmp_path / f"render-{_dead_pid()}-abc"
    dead.mkdir()

    stop = start_scheduler()
    try:
        wait_until(lambda: not dead.exists(), 30, "the scheduler to remove the folder")
    finally:
        stop.set()


def test_render_work_folders_name_their_process():
    assert leftovers.work_prefix() == f"render-{os.getpid()}-"
