"""Media sealed with the owner's key: chunked, seekable, tamper-evident, served decrypted
(ranges included) only to whoever may see the video, and unreadable once shredded."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from clipdeck.accounts.models import User
from clipdeck.kernel import keys
from clipdeck.kernel.sealed_media import (
    CHUNK_BYTES,
    HEADER_BYTES,
    SealedFileInvalid,
    SealedReader,
    is_sealed_name,
    open_plain,
    save_sealed,
    sealed_name,
)
from clipdeck.kernel.storage import local_path
from clipdeck.videos.media import media_url
from clipdeck.videos.models import Video, Visibility
from tests.factories import FollowFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db

SIZES = [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 5]


def _payload(size: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


def _store(tmp_path: Path, owner, data: bytes, name: str = "videos/x/mp4.mp4") -> str:
    source = tmp_path / "plain.bin"
    source.write_bytes(data)
    return save_sealed(default_storage, name, source, owner)


@pytest.mark.parametrize("size", SIZES)
def test_a_sealed_file_reads_back_whole_and_from_any_offset(tmp_path, size):
    owner = UserFactory()
    data = _payload(size)

    name = _store(tmp_path, owner.pk, data)

    assert is_sealed_name(name)
    with default_storage.open(name, "rb") as raw:
        assert size < 16 or data[:16] not in raw.read()
    with open_plain(default_storage, name) as plain:
        assert plain.read() == data
        for start in sorted({0, size // 3, max(0, size - 2), CHUNK_BYTES + 3}):
            plain.seek(start)
            assert plain.read(70_000) == data[start : start + 70_000]


def test_the_name_keeps_its_media_type_and_marks_the_sealing():
    assert sealed_name("originals/1/source.mp4") == "originals/1/source.sealed.mp4"
    assert sealed_name("originals/1/source.sealed.mp4") == "originals/1/source.sealed.mp4"
    assert not is_sealed_name("videos/1/mp4-ab.mp4")


def test_a_changed_chunk_is_refused_where_it_is_read(tmp_path):
    owner = UserFactory()
    data = _payload(3 * CHUNK_BYTES)
    name = _store(tmp_path, owner.pk, data)
    path = Path(default_storage.path(name))
    raw = bytearray(path.read_bytes())
    raw[HEADER_BYTES + 2 * (CHUNK_BYTES + 16) + 10] ^= 0xFF
    path.write_bytes(bytes(raw))

    with open_plain(default_storage, name) as plain:
        assert plain.read(CHUNK_BYTES) == data[:CHUNK_BYTES]
        plain.seek(2 * CHUNK_BYTES)
        with pytest.raises(SealedFileInvalid, match="Part 3"):
            plain.read(10)


def test_a_file_cut_short_or_with_chunks_swapped_does_not_open(tmp_path):
    owner = UserFactory()
    name = _store(tmp_path, owner.pk, _payload(2 * CHUNK_BYTES + 9))
    raw = Path(default_storage.path(name)).read_bytes()
    stored = CHUNK_BYTES + 16
    first, second = raw[HEADER_BYTES : HEADER_BYTES + stored], raw[HEADER_BYTES + stored :][:stored]
    swapped = raw[:HEADER_BYTES] + second + first + raw[HEADER_BYTES + 2 * stored :]

    for damaged in (raw[: HEADER_BYTES + 2 * stored], swapped):
        reader = SealedReader(io.BytesIO(damaged))
        with pytest.raises(SealedFileInvalid):
            reader.read()


def test_once_the_key_is_shredded_the_file_is_noise(tmp_path):
    owner = UserFactory()
    name = _store(tmp_path, owner.pk, b"frames of a private moment")

    keys.user_key_shred(User.objects.get(pk=owner.pk))

    with pytest.raises(keys.KeyShredded):
        open_plain(default_storage, name)


def test_the_engine_gets_a_decrypted_temporary_copy_that_is_removed_after(tmp_path):
    owner = UserFactory()
    data = _payload(CHUNK_BYTES * 2 + 1)
    name = _store(tmp_path, owner.pk, data, "originals/v/source.mp4")

    with local_path(default_storage, name) as path:
        assert path.endswith(".mp4")
        assert Path(path).read_bytes() == data
        assert oct(os.stat(path).st_mode & 0o777) == "0o600"

    assert not Path(path).exists()


# --- serving --------------------------------------------------------------------------


@pytest.fixture
def private_video(tmp_path):
    owner = UserFactory(handle="keeper")
    video = VideoFactory(author=owner, visibility=Visibility.FOLLOWERS, caption="for friends")
    data = _payload(5 * CHUNK_BYTES + 123, seed=11)
    video.mp4 = _store(tmp_path, owner.pk, data, f"videos/{video.pk}/mp4-1.mp4")
    video.save(update_fields=["mp4"])
    return video, data


def _get(url: str, viewer=None, **headers):
    client = Client()
    if viewer is not None:
        client.force_login(viewer)
    return client.get(url, headers=headers)


def test_range_requests_on_a_sealed_private_video_return_the_right_bytes(private_video):
    video, data = private_video
    owner = video.author
    url = media_url(video, "mp4", owner.pk)
    size = len(data)

    whole = _get(url, owner)
    middle = _get(url, owner, Range="bytes=70000-200000")
    tail = _get(url, owner, Range="bytes=-1000")
    open_ended = _get(url, owner, Range=f"bytes={size - 10}-")
    beyond = _get(url, owner, Range=f"bytes={size}-")

    assert whole.status_code == 200
    assert whole["Content-Length"] == str(size)
    assert b"".join(whole.streaming_content) == data
    assert whole["Cache-Control"] == "private, no-store"
    assert middle.status_code == 206
    assert middle["Content-Range"] == f"bytes 70000-200000/{size}"
    assert b"".join(middle.streaming_content) == data[70000:200001]
    assert b"".join(tail.streaming_content) == data[-1000:]
    assert b"".join(open_ended.streaming_content) == data[-10:]
    assert beyond.status_code == 416
    assert "X-Accel-Redirect" not in whole


def test_a_follower_plays_it_and_everyone_else_gets_404(private_video):
    video, data = private_video
    follower, stranger = UserFactory(), UserFactory()
    FollowFactory(follower=follower, followee=video.author)

    mine = _get(media_url(video, "mp4", follower.pk), follower, Range="bytes=0-99")
    theirs = _get(media_url(video, "mp4", stranger.pk), stranger, Range="bytes=0-99")
    anonymous = _get(media_url(video, "mp4", None))

    assert b"".join(mine.streaming_content) == data[:100]
    assert [theirs.status_code, anonymous.status_code] == [404, 404]


def test_a_sealed_file_whose_key_is_gone_is_a_404_not_noise(private_video, settings):
    video, _ = private_video
    owner = User.objects.get(pk=video.author_id)
    url = media_url(video, "mp4", owner.pk)
    keys.user_key_shred(owner)

    response = _get(url, owner)

    assert response.status_code == 404


def test_nginx_never_gets_a_sealed_file(private_video, settings):
    settings.CLIPDECK_MEDIA_ACCEL_PREFIX = "/protected-media/"
    video, data = private_video

    response = _get(media_url(video, "mp4", video.author_id), video.author)

    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == data
    assert Video.objects.get(pk=video.pk).mp4.name.endswith(".sealed.mp4")
