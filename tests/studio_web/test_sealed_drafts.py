"""A draft's files are sealed with its author's key; the author still plays and re-renders it."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from django.core.files.storage import default_storage

from clipdeck.studio.rendering import render
from clipdeck.videos.media import media_url
from clipdeck.videos.models import Video, VideoStatus
from tests.factories import UserFactory
from tests.studio_web.conftest import rendered, stored_file

pytestmark = pytest.mark.django_db(transaction=True)


def _play(api, viewer, url: str, **headers):
    client = api(viewer).client
    client.force_login(viewer)
    return client.get(url, headers=headers)


def test_the_author_plays_and_re_renders_a_sealed_draft_and_a_stranger_gets_404(
    api, portrait_clip, run_worker
):
    owner, stranger = UserFactory(handle="drafter"), UserFactory(handle="nosy")
    body = rendered(api(owner), portrait_clip, run_worker, draft="true", caption="not yet")
    video = Video.objects.get(pk=body["id"])
    assert body["status"] == "draft", body
    names = [video.original.name, video.mp4.name, video.poster.name]
    raw = Path(default_storage.path(video.mp4.name)).read_bytes()
    plain = Path(stored_file(video.pk)).read_bytes()

    whole = _play(api, owner, body["media"]["mp4"])
    head = _play(api, owner, body["media"]["mp4"], Range="bytes=0-1023")
    theirs = _play(api, stranger, media_url(video, "mp4", stranger.pk))

    assert all(".sealed." in name for name in names)
    assert plain[4:8] == b"ftyp" and raw[4:8] != b"ftyp"
    assert b"".join(whole.streaming_content) == plain
    assert head.status_code == 206 and b"".join(head.streaming_content) == plain[:1024]
    assert theirs.status_code == 404

    Video.objects.filter(pk=video.pk).update(status=VideoStatus.PROCESSING)
    render(video.pk)

    again = Video.objects.get(pk=video.pk)
    assert again.status == VideoStatus.DRAFT
    assert again.mp4.name != video.mp4.name and ".sealed." in again.mp4.name
    with av.open(stored_file(again.pk)) as container:
        assert container.streams.video[0].frames > 0
    assert again.caption == "not yet"
