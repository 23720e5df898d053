"""The backup container: a stream encrypted and authenticated in chunks.

Layout::

    CDBK1\\n | header length (4 bytes) | header JSON | chunk*

Each chunk is ``length (4 bytes) | AES-256-GCM(nonce = prefix ‖ counter)``
with associated data binding the header, the chunk's position and whether it
is the last one. So a changed byte, a reordered, dropped or added chunk, a
swapped header or a cut-off file all fail to open, and the reader says so
before anything is restored. The key is derived from the cell key.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from clipdeck.kernel.crypto import derive_key

MAGIC = b"CDBK1\n"
CHUNK_BYTES = 1024 * 1024
KEY_PURPOSE = "clipdeck backup v1"


class BackupInvalid(Exception):
    """The file is not a backup of this cell, or it was changed or cut short."""


def _aad(header_digest: bytes, counter: int, last: bool) -> bytes:
    return header_digest + struct.pack(">Q?", counter, last)


class EncryptingWriter(io.RawIOBase):
    """A write-only file object that encrypts what is written into ``sink``."""

    def __init__(self, sink, header: dict) -> None:
        self.sink = sink
        self.aead = AESGCM(derive_key(KEY_PURPOSE))
        self.prefix = os.urandom(4)
        header = {**header, "nonce_prefix": self.prefix.hex()}
        encoded = json.dumps(header, sort_keys=True).encode()
        self.header_digest = hashlib.sha256(encoded).digest()
        sink.write(MAGIC + struct.pack(">I", len(encoded)) + encoded)
        self.buffer = bytearray()
        self.counter = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK_BYTES:
            self._emit(bytes(self.buffer[:CHUNK_BYTES]), last=False)
            del self.buffer[:CHUNK_BYTES]
        return len(data)

    def _emit(self, plaintext: bytes, *, last: bool) -> None:
        nonce = self.prefix + struct.pack(">Q", self.counter)
        sealed = self.aead.encrypt(nonce, plaintext, _aad(self.header_digest, self.counter, last))
        self.sink.write(struct.pack(">I", len(sealed)) + sealed)
        self.counter += 1

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self.buffer), last=True)
            self.buffer.clear()
        super().close()


class DecryptingReader(io.RawIOBase):
    """A read-only file object over a backup; raises BackupInvalid on any tampering."""

    def __init__(self, source) -> None:
        self.source = source
        raw = _read_header_bytes(source)
        self.header = _parse_header(raw)
        self.header_digest = hashlib.sha256(raw).digest()
        self.prefix = bytes.fromhex(self.header["nonce_prefix"])
        self.aead = AESGCM(derive_key(KEY_PURPOSE))
        self.buffer = bytearray()
        self.counter = 0
        self.finished = False

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self.buffer and not self.finished:
            self._next_chunk()
        size = min(len(target), len(self.buffer))
        target[:size] = self.buffer[:size]
        del self.buffer[:size]
        return size

    def _next_chunk(self) -> None:
        length = self.source.read(4)
        if len(length) < 4:
            raise BackupInvalid("The backup is cut short: its last part is missing.")
        expected = struct.unpack(">I", length)[0]
        sealed = self.source.read(expected)
        if len(sealed) < expected:
            raise BackupInvalid("The backup is cut short: its last part is incomplete.")
        nonce = self.prefix + struct.pack(">Q", self.counter)
        for last in (False, True):
            try:
                plain = self.aead.decrypt(
                    nonce, sealed, _aad(self.header_digest, self.counter, last)
                )
            except InvalidTag:
                continue
            self.buffer += plain
            self.counter += 1
            self.finished = last
            if last and self.source.read(1):
                raise BackupInvalid("The backup has data after its last part.")
            return
        raise BackupInvalid(
            f"Part {self.counter + 1} of the backup does not authenticate: the file was "
            "changed, or it was made by a cell with another key (CLIPDECK_CELL_KEY)."
        )


def _read_header_bytes(source) -> bytes:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupInvalid("This is not a Clipdeck backup file.")
    raw_length = source.read(4)
    if len(raw_length) < 4:
        raise BackupInvalid("The backup is cut short: its header is missing.")
    return source.read(struct.unpack(">I", raw_length)[0])


def _parse_header(raw: bytes) -> dict:
    try:
        header = json.loads(raw)
        bytes.fromhex(header["nonce_prefix"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupInvalid("The backup's header is damaged.") from exc
    return header
