"""Interoperability with an independent ActivityPub implementation: the Fedify library.

A Node peer built on Fedify (``fedify_peer.mjs``) resolves a Clipdeck actor by
WebFinger, follows it from its own ephemeral actor (Fedify checks our
signatures, we check its), and must receive a published video as a
``Create`` of a ``Note`` with a video attachment. Skipped only when Node or the
library (``.ci/run`` installs it into ``.tools/fedify``) is not there.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from clipdeck.studio.engine.synth import make_clip
from tests.federation.test_cells import Cell, upload
from tests.live_server import free_port, running_clipdeck

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
ROOT = Path(__file__).resolve().parents[2]
FEDIFY = ROOT / ".tools" / "fedify"


def _events(process: subprocess.Popen) -> queue.Queue:
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _next_event(lines: queue.Queue, wanted: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue  # Fedify's own log lines
        if event.get("event") == wanted:
            return event
    raise AssertionError(f"the Fedify peer reported no {wanted!r} event in time")


def test_a_fedify_peer_resolves_follows_and_receives_a_video(tmp_path):
    node = shutil.which("node")
    if node is None or not (FEDIFY / "node_modules" / "@fedify" / "fedify").is_dir():
        pytest.skip("Node or the Fedify library is not installed (see .ci/run)")
    clip = Path(make_clip(tmp_path / "clip.mp4", seconds=2.0, width=180, height=320))
    peer_script = FEDIFY / "peer.mjs"  # beside node_modules, so the imports resolve
    shutil.copyfile(Path(__file__).with_name("fedify_peer.mjs"), peer_script)
    data = tmp_path / "cell"
    data.mkdir()
    port = free_port()
    with running_clipdeck(
        data,
        port=port,
        CLIPDECK_PUBLIC_URL=f"http://127.0.0.1:{port}",
        CLIPDECK_FEDERATION_ALLOW_LOOPBACK="1",
    ) as (url, _):
        cell = Cell(url)
        ann = cell.signup("ann")
        peer = subprocess.Popen(
            [node, str(peer_script), f"{url}/@ann", str(free_port())],
            cwd=FEDIFY,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            lines = _events(peer)
            found = _next_event(lines, "lookup")
            assert found["preferredUsername"] == "ann"
            assert found["type"] == "Person"
            assert found["id"].startswith(f"{url}/ap/users/")
            _next_event(lines, "accept")

            upload(cell, ann, clip, "for the fediverse #clips", "public")
            created = _next_event(lines, "create", timeout=180)
        finally:
            peer.terminate()
            peer.wait(timeout=10)
    note = created["object"]
    assert note["type"] == "Note"
    assert "for the fediverse" in note["content"]
    attachment = (
        note["attachment"] if isinstance(note["attachment"], dict) else note["attachment"][0]
    )
    assert attachment["type"] == "Video"
    assert attachment["mediaType"] == "video/mp4"
