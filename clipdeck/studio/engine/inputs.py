"""Inputs given to the sandbox as open file descriptors (``fd:<n>``) instead of paths.

The sandboxed child may run as a user that cannot open the upload or the stored
original by name; the parent opens each input read-only and passes the
descriptor. Every reader in the engine goes through these helpers, which accept a
path or ``fd:<n>``. Each :class:`FdReader` keeps its own position (``pread``), so
the same descriptor can be opened several times (probe, then render).
"""

from __future__ import annotations

import io
import os

FD_PREFIX = "fd:"
READ_BUFFER = 1 << 20


def fd_of(path: str | os.PathLike) -> int | None:
    """The descriptor named by ``fd:<n>``, or None for an ordinary path."""
    text = str(path)
    if text.startswith(FD_PREFIX) and text[len(FD_PREFIX) :].isdigit():
        return int(text[len(FD_PREFIX) :])
    return None


def file_size(path: str | os.PathLike) -> int:
    """Size in bytes of a path or ``fd:<n>`` (raises OSError)."""
    fd = fd_of(path)
    return os.fstat(fd).st_size if fd is not None else os.path.getsize(path)


def read_head(path: str | os.PathLike, size: int) -> bytes:
    """The first ``size`` bytes of a path or ``fd:<n>`` (raises OSError)."""
    fd = fd_of(path)
    if fd is not None:
        return os.pread(fd, size, 0)
    with open(path, "rb") as handle:
        return handle.read(size)


def media_source(path: str | os.PathLike) -> str | FdReader:
    """What to hand ``av.open``: the path, or a reader over the descriptor."""
    fd = fd_of(path)
    return FdReader(fd) if fd is not None else str(path)


class FdReader(io.RawIOBase):
    """A seekable, read-only file over a borrowed descriptor with its own position."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self.fd = fd
        self.position = 0
        self.size = os.fstat(fd).st_size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = os.pread(self.fd, len(buffer), self.position)
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def tell(self) -> int:
        return self.position
