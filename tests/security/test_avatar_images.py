"""Avatars: a decompression bomb is refused from its header, never decoded; only
JPEG, PNG and WebP are accepted."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

pytestmark = pytest.mark.django_db

BOMB_SIDE = 9400


def png_bomb(side: int = BOMB_SIDE) -> bytes:
    """A valid 1-bit palette PNG of ``side`` x ``side`` pixels, all zero: a few KB on disk,
    about 265 MB once decoded to RGB."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 3, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"PLTE", b"\x00\x00\x00\xff\xff\xff")
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )


def encoded(fmt: str, size=(64, 48), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (30, 140, 200) if mode == "RGB" else 1).save(buffer, format=fmt)
    return buffer.getvalue()


def post_avatar(api, user, name: str, data: bytes):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return api(user).post("me/avatar", {"file": upload}, multipart=True)


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if any image is decoded (``ImageFile.load``)."""

    def refuse(self):
        raise AssertionError(f"decoded a {self.format} image of {self.size}")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_the_bomb_is_a_small_valid_png():
    data = png_bomb()
    assert len(data) < 300_000
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (BOMB_SIDE, BOMB_SIDE))


def test_a_png_bomb_is_refused_from_its_header_without_decoding(api, user, settings, no_decoding):
    data = png_bomb()
    started = time.monotonic()

    response = post_avatar(api, user, "bomb.png", data)

    assert time.monotonic() - started < 5  # the old code took 6 s and 1.1 GB
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_image", "file")
    assert "40 megapixels" in error["message"]
    user.refresh_from_db()
    assert user.avatar.name == ""
    assert not (settings.MEDIA_ROOT / "avatars").exists()


@pytest.mark.parametrize(
    ("name", "fmt", "mode"),
    [
        ("a.tiff", "TIFF", "RGB"),
        ("a.bmp", "BMP", "RGB"),
        ("a.gif", "GIF", "P"),
        ("a.ico", "ICO", "RGB"),
    ],
)
def test_formats_outside_the_allow_list_are_refused_unread(api, user, no_decoding, name, fmt, mode):
    data = encoded(fmt, mode=mode)

    response = post_avatar(api, user, name, data)

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_image"
    assert error["message"] == "The avatar must be a JPEG, PNG or WebP image."


@pytest.mark.parametrize(
    ("name", "fmt"), [("me.jpg", "JPEG"), ("me.webp", "WEBP"), ("me.png", "PNG")]
)
def test_jpeg_png_and_webp_are_accepted(api, user, name, fmt):
    response = post_avatar(api, user, name, encoded(fmt, size=(400, 300)))

    assert response.status_code == 200, response.content
    user.refresh_from_db()
    with user.avatar.open("rb") as stored, Image.open(stored) as image:
        assert (image.format, image.size) == ("JPEG", (320, 320))


def test_a_large_phone_photo_is_accepted(api, user):
    response = post_avatar(api, user, "photo.jpg", encoded("JPEG", size=(4032, 3024)))

    assert response.status_code == 200, response.content
