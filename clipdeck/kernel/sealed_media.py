"""Media files encrypted with their owner's data key, streamed in chunks.

A sealed file is stored under a name with ``.sealed`` before its suffix
(``videos/<id>/mp4-1a2b.sealed.mp4``), so its media type is still known and an
operator can see what is sealed. Its layout::

    CDMF1\\n | key id (36) | salt (16) | plaintext size (8) | chunk size (4) | chunk*

Chunk ``i`` is AES-256-GCM of ``CHUNK_BYTES`` of plaintext (the last one
shorter) under a per-file key derived with HKDF from the owner's data key and
the file's random salt; the nonce is the chunk's index and the associated data
binds the header, the index and whether it is the last chunk, so a chunk
changed, moved, dropped or added fails to open. The header names the data key
by id, so any reader can find the key in the key store without knowing the
owner; once the key is shredded the file is noise.

Chunks have a fixed size, so a byte range maps to the chunks that hold it: a
range request decrypts only those (:class:`SealedReader` is seekable). Nothing
holds a whole file in memory: sealing streams from a file into a temporary
file, and :func:`plain_copy` decrypts into a temporary file for tools that need
a path (the media engine).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import struct
import tempfile
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.files.storage import Storage

from clipdeck.kernel import crypto, keys

MAGIC = b"CDMF1\n"
KEY_ID_BYTES = 36
SALT_BYTES = 16
_HEADER = struct.Struct(f">{len(MAGIC)}s{KEY_ID_BYTES}s{SALT_BYTES}sQI")
HEADER_BYTES = _HEADER.size
CHUNK_BYTES = 64 * 1024
TAG_BYTES = 16
MARK = ".sealed"
COPY_BYTES = 1024 * 1024


class SealedFileInvalid(crypto.DecryptionError):
    """A sealed file that does not open: changed, cut short, or its key is shredded."""


def sealed_name(name: str) -> str:
    """``name`` with the sealed mark before its suffix (``a/b.mp4`` -> ``a/b.sealed.mp4``)."""
    path = PurePosixPath(name)
    if is_sealed_name(name):
        return name
    return str(path.with_name(f"{path.stem}{MARK}{path.suffix}"))


def is_sealed_name(name: str) -> bool:
    """Whether the stored file ``name`` is sealed (by its name: no read needed)."""
    path = PurePosixPath(name or "")
    return path.stem.endswith(MARK)


def _file_key(data_key: bytes, salt: bytes) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"clipdeck media v1")
    return AESGCM(hkdf.derive(data_key))


def _chunk_count(size: int) -> int:
    return max(1, -(-size // CHUNK_BYTES))


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">Q?", index, last)


def _nonce(index: int) -> bytes:
    return b"\0\0\0\0" + struct.pack(">Q", index)


def seal_stream(source: IO[bytes], size: int, owner, sink: IO[bytes]) -> None:
    """Write ``size`` bytes of ``source`` into ``sink``, sealed with ``owner``'s key.

    ``owner`` is an account or its id.
    """
    key_id, data_key = keys.key_of(owner)
    salt = os.urandom(SALT_BYTES)
    header = _HEADER.pack(MAGIC, key_id.encode(), salt, size, CHUNK_BYTES)
    aead = _file_key(data_key, salt)
    sink.write(header)
    count = _chunk_count(size)
    for index in range(count):
        plain = source.read(CHUNK_BYTES) if index < count - 1 else source.read()
        last = index == count - 1
        sink.write(aead.encrypt(_nonce(index), plain, _aad(header, index, last)))


@contextlib.contextmanager
def sealed_temp(path: str | os.PathLike, owner) -> Iterator[IO[bytes]]:
    """A temporary file holding the file at ``path`` sealed with ``owner``'s key."""
    size = os.path.getsize(path)
    with open(path, "rb") as source, tempfile.TemporaryFile() as sealed:
        seal_stream(source, size, owner, sealed)
        sealed.flush()
        sealed.seek(0)
        yield sealed


def save_sealed(storage: Storage, name: str, path: str | os.PathLike, owner) -> str:
    """Store the file at ``path`` sealed for ``owner`` under ``name`` (marked); the stored name."""
    from django.core.files import File

    with sealed_temp(path, owner) as sealed:
        return storage.save(sealed_name(name), File(sealed))


def read_header(raw: IO[bytes]) -> tuple[bytes, bytes, bytes, int, int]:
    """(header bytes, key id, salt, plaintext size, chunk size) of a sealed file."""
    header = raw.read(HEADER_BYTES)
    if len(header) < HEADER_BYTES:
        raise SealedFileInvalid("The sealed file is cut short: its header is missing.")
    magic, key_id, salt, size, chunk = _HEADER.unpack(header)
    if magic != MAGIC or chunk <= 0:
        raise SealedFileInvalid("This is not a sealed media file.")
    return header, key_id, salt, size, chunk


class SealedReader(io.RawIOBase):
    """The plaintext of a sealed file, readable and seekable, one chunk decrypted at a time."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        header, key_id, salt, self.size, self.chunk = read_header(raw)
        self.header = header
        self.key_id = key_id.decode("ascii", "replace")
        self.aead = _file_key(keys.key_by_id(self.key_id), salt)
        self.count = max(1, -(-self.size // self.chunk))
        self.position = 0
        self.current: tuple[int, bytes] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, target) -> int:
        if self.position >= self.size:
            return 0
        index, offset = divmod(self.position, self.chunk)
        plain = self._chunk(index)
        part = plain[offset : offset + len(target)]
        target[: len(part)] = part
        self.position += len(part)
        return len(part)

    def _chunk(self, index: int) -> bytes:
        if self.current is not None and self.current[0] == index:
            return self.current[1]
        stored = self.chunk + TAG_BYTES
        self.raw.seek(HEADER_BYTES + index * stored)
        sealed = self.raw.read(stored)
        last = index == self.count - 1
        try:
            plain = self.aead.decrypt(_nonce(index), sealed, _aad(self.header, index, last))
        except (InvalidTag, ValueError) as exc:
            raise SealedFileInvalid(
                f"Part {index + 1} of the sealed file does not open: it was changed or cut short."
            ) from exc
        self.current = (index, plain)
        return plain

    def close(self) -> None:
        if not self.closed:
            self.raw.close()
        super().close()


def open_plain(storage: Storage, name: str) -> IO[bytes]:
    """``name`` opened for reading as plaintext: decrypted if it is sealed."""
    handle = storage.open(name, "rb")
    if not is_sealed_name(name):
        return handle
    try:
        return io.BufferedReader(SealedReader(handle), buffer_size=CHUNK_BYTES)
    except BaseException:
        handle.close()
        raise


@contextlib.contextmanager
def plain_copy(storage: Storage, name: str) -> Iterator[str]:
    """A path to a temporary, decrypted copy of the sealed file ``name`` (deleted after)."""
    suffix = PurePosixPath(name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy, open_plain(storage, name) as source:
        os.chmod(copy.name, 0o600)
        shutil.copyfileobj(source, copy, length=COPY_BYTES)
        copy.flush()
        yield copy.name


class PlainView(Storage):
    """A read-only view of a storage that serves sealed files decrypted (for ``serve_file``).

    It has no local path and no direct URL, so the bytes always pass through
    here: neither nginx nor a presigned URL can hand out the ciphertext.
    """

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def size(self, name: str) -> int:
        with self.storage.open(name, "rb") as handle:
            return read_header(handle)[3]

    def _open(self, name: str, mode: str = "rb"):
        return open_plain(self.storage, name)

    def exists(self, name: str) -> bool:
        return self.storage.exists(name)

    def path(self, name: str) -> str:
        raise NotImplementedError("A sealed file has no plaintext path.")
