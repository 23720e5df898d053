"""The Prometheus multiprocess folder of ``serve``/``worker``: fresh each start, and
folders of killed runs are cleaned up."""

from __future__ import annotations

import os
import tempfile

import pytest

from clipdeck.runtime.processes import METRICS_DIR_ENV, prepare_metrics_dir, remove_metrics_dir

pytestmark = pytest.mark.django_db


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv(METRICS_DIR_ENV, "placeholder")  # restored (unset) after the test
    monkeypatch.delenv(METRICS_DIR_ENV)
    return tmp_path


def dead_pid() -> int:
    pid = 999_999
    while os.path.exists(f"/proc/{pid}"):
        pid -= 1
    return pid


@pytest.mark.skipif(not os.path.exists("/proc/self"), reason="reads /proc")
def test_a_fresh_folder_is_made_and_folders_of_killed_runs_removed(temp_root):
    orphan = temp_root / f"clipdeck-metrics-{dead_pid()}-abc"
    orphan.mkdir()
    (orphan / "histogram_1.db").write_bytes(b"x")
    running = temp_root / f"clipdeck-metrics-{os.getpid()}-def"
    running.mkdir()

    folder = prepare_metrics_dir()

    assert folder is not None and folder.is_dir()
    assert os.environ[METRICS_DIR_ENV] == str(folder)
    assert not orphan.exists()
    assert running.exists()
    remove_metrics_dir(folder)
    assert not folder.exists()


def test_an_operator_folder_is_emptied_and_kept(temp_root, monkeypatch):
    chosen = temp_root / "metrics"
    chosen.mkdir()
    (chosen / "counter_12.db").write_bytes(b"old run")
    (chosen / "README").write_text("kept")
    monkeypatch.setenv(METRICS_DIR_ENV, str(chosen))

    assert prepare_metrics_dir() is None  # not ours to remove at exit
    assert sorted(p.name for p in chosen.iterdir()) == ["README"]
