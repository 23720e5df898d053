"""Name what a file looks like from its first bytes, for clearer error messages.

This never decides whether a file is accepted (``probe`` does, by opening it with
FFmpeg); it only explains a refusal: "it looks like a PNG image".
"""

from __future__ import annotations

from . import inputs

SIGNATURES: list[tuple[int, bytes, str]] = [
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"%PDF", "a PDF document"),
    (0, b"PK\x03\x04", "a ZIP archive or office document"),
    (0, b"\x1f\x8b", "a compressed (gzip) archive"),
    (0, b"BM", "a BMP image"),
    (0, b"ID3", "an MP3 audio file"),
    (0, b"fLaC", "a FLAC audio file"),
    (0, b"OggS", "an Ogg audio file"),
    (8, b"WAVE", "a WAV audio file"),
    (8, b"WEBP", "a WebP image"),
    (8, b"AVI ", "an AVI video"),
    (4, b"ftyp", "an MP4/MOV video"),
    (4, b"moov", "an MP4/MOV video"),
    (4, b"mdat", "an MP4/MOV video"),
    (0, b"\x1a\x45\xdf\xa3", "a WebM/Matroska video"),
]
VIDEO_CONTAINERS = {"an MP4/MOV video", "a WebM/Matroska video", "an AVI video"}


def describe(head: bytes) -> str | None:
    """Return e.g. "a PNG image" for the file's first bytes, or None if unknown."""
    for offset, magic, name in SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return _refine(head, name)
    if _looks_like_text(head):
        return "an HTML page" if b"<html" in head[:512].lower() else "a text file"
    return None


def looks_like_video_container(head: bytes) -> bool:
    """True when the bytes start like a video container (so a failure means damage)."""
    return describe(head) in VIDEO_CONTAINERS


def read_head(path: str, size: int = 4096) -> bytes:
    """The first ``size`` bytes of ``path`` (empty on any read error)."""
    try:
        return inputs.read_head(path, size)
    except OSError:
        return b""


def _refine(head: bytes, name: str) -> str:
    if name == "an MP4/MOV video" and head[8:11] == b"M4A":
        return "an M4A audio file"
    return name


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    text = head.decode("utf-8", errors="replace")
    printable = sum((ch.isprintable() and ch != "\ufffd") or ch in "\r\n\t" for ch in text)
    return printable / len(text) > 0.95
