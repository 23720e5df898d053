"""Per-user data keys: encrypt a user's protected fields and files, and shred them.

Any app can keep a protected field encrypted with :func:`seal_for` and read it
back with :func:`unseal_for`; the field's label (``"app.Model.field"``) is bound
into the ciphertext. ``user`` is an account or its id. A new account gets its
key with :func:`user_key_assign` before its first save and
:func:`user_key_save` after it. Erasure calls :func:`user_key_shred`: the key
leaves the key store (``kernel.keystore``, a file apart from the database) and
every key-store backup, and its id is written to the ledger (``kernel.ledger``).

Unwrapped keys are kept in a small per-process cache (``CACHE_SIZE`` users,
least recently used dropped) so a feed page of many authors' captions unwraps
each key once; a key listed in the ledger is never served from it, so a
shred in another process takes effect here at the next read.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict

from django.conf import settings

from clipdeck.kernel import crypto, keystore, ledger
from clipdeck.kernel.keystore_backup import backups_forget

_CACHE = "_clipdeck_data_key"
CACHE_SIZE = 4096


class KeyShredded(crypto.DecryptionError):
    """The user's data key is gone: their protected data can no longer be read."""


class _KeyCache:
    """A bounded, thread-safe LRU of (store, user id) -> (key id, data key)."""

    def __init__(self, size: int) -> None:
        self.size, self.lock = size, threading.Lock()
        self.items: OrderedDict[tuple[str, int], tuple[str, bytes]] = OrderedDict()

    def get(self, slot):
        with self.lock:
            found = self.items.get(slot)
            if found is not None:
                self.items.move_to_end(slot)
            return found

    def put(self, slot, value) -> None:
        with self.lock:
            self.items[slot] = value
            self.items.move_to_end(slot)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def drop(self, slot) -> None:
        with self.lock:
            self.items.pop(slot, None)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()

    def __len__(self) -> int:
        return len(self.items)


unwrapped = _KeyCache(CACHE_SIZE)


def _slot(user_id) -> tuple[str, int]:
    return (str(settings.CLIPDECK_KEYSTORE_PATH), int(user_id))


def user_key_assign(user) -> None:
    """Give an unsaved user a fresh data key (kept on the instance until saved)."""
    setattr(user, _CACHE, (str(uuid.uuid4()), crypto.new_key()))


def user_key_save(user) -> str:
    """Store the key assigned by :func:`user_key_assign`, wrapped by the cell key; its id."""
    key_id, data_key = getattr(user, _CACHE)
    keystore.key_put(key_id=key_id, user_id=user.pk, wrapped=crypto.wrap_key(data_key, key_id))
    unwrapped.put(_slot(user.pk), (key_id, data_key))
    return key_id


def seal_for(user, field: str, value: str) -> str:
    """``value`` encrypted with ``user``'s data key, bound to ``field``."""
    key_id, data_key = key_of(user)
    return crypto.seal(data_key, value, f"{key_id}:{field}")


def unseal_for(user, field: str, token: str) -> str:
    """The plaintext of a :func:`seal_for` value; KeyShredded once the key is gone."""
    key_id, data_key = key_of(user)
    return crypto.unseal(data_key, token, f"{key_id}:{field}")


def key_of(user) -> tuple[str, bytes]:
    """(key id, data key) of ``user`` (an account or its id); KeyShredded if it is gone."""
    cached = getattr(user, _CACHE, None) if not isinstance(user, int) else None
    if cached is not None:
        return cached
    user_id = user if isinstance(user, int) else user.pk
    if user_id is None:
        raise KeyShredded("This account has no data key yet.")
    found = unwrapped.get(_slot(user_id))
    if found is None:
        row = keystore.key_of_user(user_id)
        if row is None:
            raise KeyShredded("This account has no data key: its protected data was erased.")
        found = (row.key_id, crypto.unwrap_key(row.wrapped, row.key_id))
        unwrapped.put(_slot(user_id), found)
    if ledger.is_shredded(found[0]):
        unwrapped.drop(_slot(user_id))
        raise KeyShredded("This data key was shredded by an erasure.")
    return found


def key_by_id(key_id: str) -> bytes:
    """The data key named ``key_id`` (files name their key this way); KeyShredded if gone."""
    if ledger.is_shredded(key_id):
        raise KeyShredded("This data key was shredded by an erasure.")
    row = keystore.key_by_id(key_id)
    if row is None:
        raise KeyShredded("No data key of this id is in the key store.")
    found = unwrapped.get(_slot(row.user_id))
    if found is not None and found[0] == row.key_id:
        return found[1]
    data_key = crypto.unwrap_key(row.wrapped, row.key_id)
    unwrapped.put(_slot(row.user_id), (row.key_id, data_key))
    return data_key


def user_key_shred(user) -> str | None:
    """Destroy ``user``'s data key everywhere the cell keeps it; its id, or None.

    The id reaches the ledger first (so a crash half-way still counts it as
    shredded), then the key leaves the store, the cache and every key-store
    backup.
    """
    row = keystore.key_of_user(user.pk)
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)
    unwrapped.drop(_slot(user.pk))
    if row is None:
        return None
    if not ledger.is_shredded(row.key_id):  # a restore re-erases listed keys
        ledger.record_shredded(row.key_id)
    keystore.key_delete(row.key_id)
    backups_forget({row.key_id})
    return row.key_id
