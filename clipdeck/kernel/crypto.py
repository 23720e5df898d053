"""Authenticated encryption for protected fields, data keys and backups.

Everything here is AES-256-GCM from ``cryptography``. Keys come from the
cell key (``settings.CLIPDECK_CELL_KEY``: the variable ``CLIPDECK_CELL_KEY`` or
``<data dir>/cell_key``), never used directly: each use derives its own key
with HKDF, so a data-key wrap can never be confused with a backup chunk.

Sealed values are text: ``cd1.<base64url(nonce ‖ ciphertext ‖ tag)>``. The
associated data names what the value is (key id and field), so a ciphertext
copied into another user's row or another field fails to open.
"""

from __future__ import annotations

import base64
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "cd1."
NONCE_BYTES = 12
KEY_BYTES = 32


class DecryptionError(Exception):
    """A sealed value that does not open: wrong key, tampered, or shredded."""


def derive_key(purpose: str, secret: str | None = None) -> bytes:
    """A 256-bit key for ``purpose``, derived from the cell key (or ``secret``)."""
    return _derive(purpose, secret if secret is not None else settings.CLIPDECK_CELL_KEY)


@cache
def _derive(purpose: str, secret: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode())
    return hkdf.derive(secret.encode())


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return AESGCM.generate_key(bit_length=256)


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """``nonce ‖ ciphertext ‖ tag`` under ``key``, bound to ``aad``."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """The plaintext of :func:`encrypt`'s output; DecryptionError if it does not open."""
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError("The value does not open with this key.") from exc


def seal(key: bytes, plaintext: str, aad: str) -> str:
    """Encrypt text into the ``cd1.`` text form."""
    blob = encrypt(key, plaintext.encode(), aad.encode())
    return PREFIX + base64.urlsafe_b64encode(blob).decode().rstrip("=")


def unseal(key: bytes, token: str, aad: str) -> str:
    """The text inside a ``cd1.`` value."""
    if not is_sealed(token):
        raise DecryptionError("The value is not encrypted.")
    body = token[len(PREFIX) :]
    blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return decrypt(key, blob, aad.encode()).decode()


def is_sealed(value: str) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def wrap_key(data_key: bytes, key_id: str) -> bytes:
    """Encrypt a data key under the cell's key-wrapping key."""
    return encrypt(derive_key("clipdeck data-key wrap v1"), data_key, key_id.encode())


def unwrap_key(wrapped: bytes, key_id: str) -> bytes:
    return decrypt(derive_key("clipdeck data-key wrap v1"), bytes(wrapped), key_id.encode())
