"""SIGTERM to ``clipdeck serve`` lets the render in flight finish, then exits 0.

A real server on a fresh data folder: sign up and upload over HTTP, wait until
the task worker's sandboxed render runs, SIGTERM the server, and read the
outcome from the data folder's SQLite database once everything has stopped.
"""

from __future__ import annotations

import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest
import requests

from clipdeck.studio.engine.synth import make_clip
from tests.live_server import running_clipdeck
from tests.worker_processes import children_of, wait_until

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("worker_processes"),
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

GRACE_SECONDS = 90


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return raw.decode(errors="replace").split("\0")


def _render_in_flight(server_pid: int) -> int | None:
    """The pid of a sandboxed render started by one of the server's task workers."""
    for worker in children_of(server_pid):
        for child in children_of(worker):
            command = _cmdline(child)
            if "clipdeck.studio.engine.sandbox" in command and "render" in command:
                return child
    return None


def _signed_up(url: str) -> requests.Session:
    session = requests.Session()
    answer = session.post(
        f"{url}/api/v1/auth/signup",
        json={
            "handle": "sigterm_sam",
            "email": "sam@example.com",
            "password": "a long passphrase 7",
        },
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    session.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return session


def _video_status(data: Path, video_id: str) -> tuple[str, str]:
    with sqlite3.connect(data / "clipdeck.sqlite3") as db:
        row = db.execute(
            "SELECT status, error_code FROM videos_video WHERE id = ?",
            (video_id.replace("-", ""),),
        ).fetchone()
    assert row is not None, "the uploaded video is not in the database"
    return row


def test_sigterm_lets_the_render_in_flight_finish_and_exits_0(tmp_path):
    clip = make_clip(tmp_path / "heavy.mp4", seconds=4.0, width=540, height=960, scene="gradient")
    data = tmp_path / "cell"
    data.mkdir()
    grace = {"CLIPDECK_SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS)}
    with running_clipdeck(data, **grace) as (url, server):
        session = _signed_up(url)
        with open(clip, "rb") as handle:
            answer = session.post(
                f"{url}/api/v1/videos",
                files={"file": ("heavy.mp4", handle, "video/mp4")},
                data={"edit": '{"filter": "dream"}'},
                timeout=60,
            )
        assert answer.status_code == 202, answer.text
        video_id = answer.json()["id"]
        wait_until(lambda: _render_in_flight(server.pid), 120, "the render to start", step=0.05)

        server.send_signal(signal.SIGTERM)
        started = time.monotonic()
        returncode = server.wait(timeout=GRACE_SECONDS + 45)
        took = time.monotonic() - started

    assert returncode == 0, (data / "serve.log").read_text()[-4000:]
    assert took < GRACE_SECONDS + 30
    assert _video_status(data, video_id) == ("published", "")
