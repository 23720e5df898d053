"""Per-user data keys: encrypt a user's protected fields, and shred them.

Any app can keep a protected field encrypted with :func:`seal_for` and read it
back with :func:`unseal_for`; the field's label (``"app.Model.field"``) is bound
into the ciphertext. A new account gets its key with :func:`user_key_assign`
before its first save and :func:`user_key_save` after it. Erasure calls
:func:`user_key_shred`: the wrapped key is deleted and its id is written to the
ledger outside backups (``privacy.ledger``).
"""

from __future__ import annotations

import uuid

from clipdeck.kernel import crypto, ledger
from clipdeck.kernel.models import UserKey

_CACHE = "_clipdeck_data_key"


class KeyShredded(crypto.DecryptionError):
    """The user's data key is gone: their protected fields can no longer be read."""


def user_key_assign(user) -> None:
    """Give an unsaved user a fresh data key (kept on the instance until saved)."""
    setattr(user, _CACHE, (str(uuid.uuid4()), crypto.new_key()))


def user_key_save(user) -> UserKey:
    """Store the key assigned by :func:`user_key_assign`, wrapped by the cell key."""
    key_id, data_key = getattr(user, _CACHE)
    return UserKey.objects.create(
        user=user, key_id=key_id, wrapped=crypto.wrap_key(data_key, key_id)
    )


def seal_for(user, field: str, value: str) -> str:
    """``value`` encrypted with ``user``'s data key, bound to ``field``."""
    key_id, data_key = _key_of(user)
    return crypto.seal(data_key, value, f"{key_id}:{field}")


def unseal_for(user, field: str, token: str) -> str:
    """The plaintext of a :func:`seal_for` value; KeyShredded once the key is gone."""
    key_id, data_key = _key_of(user)
    return crypto.unseal(data_key, token, f"{key_id}:{field}")


def _key_of(user) -> tuple[str, bytes]:
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    row = UserKey.objects.filter(user_id=user.pk).first() if user.pk else None
    if row is None:
        raise KeyShredded("This account has no data key: its protected data was erased.")
    key_id = str(row.key_id)
    if ledger.is_shredded(key_id):
        raise KeyShredded("This data key was shredded by an erasure.")
    cached = (key_id, crypto.unwrap_key(bytes(row.wrapped), key_id))
    setattr(user, _CACHE, cached)
    return cached


def user_key_shred(user) -> str | None:
    """Delete ``user``'s data key and record its id in the ledger; the id, or None."""
    row = UserKey.objects.filter(user_id=user.pk).first()
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)
    if row is None:
        return None
    if not ledger.is_shredded(str(row.key_id)):  # a restore re-erases listed keys
        ledger.record_shredded(str(row.key_id))
    row.delete()
    return str(row.key_id)
