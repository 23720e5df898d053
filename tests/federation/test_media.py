"""Remote videos are downloaded once, probed again and stored as this cell's own files."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from clipdeck.federation.media import import_remote_video
from clipdeck.federation.models import DomainPolicy, RemoteVideo
from clipdeck.studio.engine.synth import make_clip
from clipdeck.videos.models import VideoStatus, Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def serve(settings, tmp_path):
    """``serve(bytes)`` puts ``bytes`` at a loopback URL and gives the URL."""
    settings.CLIPDECK_FEDERATION_ALLOW_LOOPBACK = True
    servers = []

    def start(body: bytes) -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/v.mp4"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture
def clip(tmp_path) -> bytes:
    return Path(make_clip(tmp_path / "c.mp4", seconds=1.0, width=180, height=320)).read_bytes()


def remote_video(carol, url: str) -> RemoteVideo:
    return RemoteVideo.objects.create(
        actor=carol.actor, uri="https://remote.example/notes/1", media_url=url, caption="hi #cats"
    )


def test_a_remote_video_becomes_a_public_video_of_the_mirror_account(carol, serve, clip):
    stored = remote_video(carol, serve(clip))

    assert import_remote_video(stored.pk) == "stored"

    stored.refresh_from_db()
    video = stored.video
    assert video.author == carol.actor.user
    assert (video.caption, video.visibility, video.status) == (
        "hi #cats",
        Visibility.PUBLIC,
        VideoStatus.PROCESSING,  # the render (sandboxed probe, encode, poster) is queued
    )
    assert video.original.name.endswith(".mp4")
    assert import_remote_video(stored.pk) == "skipped"  # a retried task changes nothing


def test_a_limited_domains_video_is_for_its_followers_only(carol, serve, clip):
    DomainPolicy.objects.create(domain="remote.example", action=DomainPolicy.Action.LIMIT)
    stored = remote_video(carol, serve(clip))

    import_remote_video(stored.pk)

    stored.refresh_from_db()
    assert stored.video.visibility == Visibility.FOLLOWERS


def test_a_file_that_is_not_a_video_is_refused_with_a_reason(carol, serve):
    stored = remote_video(carol, serve(b"<html>not a video</html>"))

    assert import_remote_video(stored.pk) == "failed"

    stored.refresh_from_db()
    assert stored.video is None
    assert stored.error


def test_a_private_address_is_never_fetched(carol, settings):
    settings.CLIPDECK_FEDERATION_ALLOW_LOOPBACK = False
    stored = remote_video(carol, "https://127.0.0.1/v.mp4")

    assert import_remote_video(stored.pk) == "failed"

    stored.refresh_from_db()
    assert "Only servers on the public internet can be reached" in stored.error
