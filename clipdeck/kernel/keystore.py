"""The key store: every user's wrapped data key, in a file apart from the database.

Database backups never hold a user's data key, so the cell key alone opens no
erased user's data in an older backup. The store is a small SQLite file
(``settings.CLIPDECK_KEYSTORE_PATH``, by default
``<data dir>/keystore/keys.sqlite3``) used the same way whichever database the
cell runs on. Each row holds a random key id, the user id and the data key
wrapped by the cell key (``kernel.crypto.wrap_key``).

The file is opened with ``secure_delete`` (a deleted key's bytes are
overwritten, not left in a free page) and its write-ahead log is truncated
after every removal, so a shredded key is gone from the file itself.

The store is backed up on its own path (:mod:`clipdeck.kernel.keystore_backup`),
never inside a database backup.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

SCHEMA = """
CREATE TABLE IF NOT EXISTS data_key (
    key_id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL UNIQUE,
    wrapped BLOB NOT NULL,
    created_at TEXT NOT NULL
)
"""

_local = threading.local()


@dataclass(frozen=True)
class StoredKey:
    key_id: str
    user_id: int
    wrapped: bytes
    created_at: str


def store_path() -> Path:
    """Where the key store lives on this host."""
    return Path(settings.CLIPDECK_KEYSTORE_PATH)


def _connection() -> sqlite3.Connection:
    """This thread's connection to the store at the configured path (opened once)."""
    path = store_path()
    if getattr(_local, "path", None) == path:
        return _local.db
    close()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    db = sqlite3.connect(path, isolation_level=None, timeout=20, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA secure_delete=ON")
    db.execute("PRAGMA busy_timeout=20000")
    db.execute(SCHEMA)
    path.chmod(0o600)
    _local.path, _local.db = path, db
    return db


def key_put(*, key_id: str, user_id: int, wrapped: bytes) -> None:
    """Store ``user_id``'s wrapped key (replacing one a rolled-back sign-up left for the id)."""
    _connection().execute(
        "INSERT OR REPLACE INTO data_key (key_id, user_id, wrapped, created_at) VALUES (?,?,?,?)",
        (key_id, int(user_id), bytes(wrapped), timezone.now().isoformat()),
    )


def key_of_user(user_id: int) -> StoredKey | None:
    """The stored key of ``user_id``, or None."""
    row = (
        _connection()
        .execute(
            "SELECT key_id, user_id, wrapped, created_at FROM data_key WHERE user_id=?",
            (int(user_id),),
        )
        .fetchone()
    )
    return StoredKey(row[0], row[1], bytes(row[2]), row[3]) if row else None


def key_by_id(key_id: str) -> StoredKey | None:
    """The stored key named ``key_id``, or None."""
    row = (
        _connection()
        .execute(
            "SELECT key_id, user_id, wrapped, created_at FROM data_key WHERE key_id=?",
            (str(key_id),),
        )
        .fetchone()
    )
    return StoredKey(row[0], row[1], bytes(row[2]), row[3]) if row else None


def user_ids_of(key_ids) -> list[int]:
    """The users whose key id is in ``key_ids``."""
    wanted = sorted({str(k) for k in key_ids})
    found: list[int] = []
    for start in range(0, len(wanted), 500):
        batch = wanted[start : start + 500]
        marks = ",".join("?" * len(batch))
        rows = _connection().execute(
            f"SELECT user_id FROM data_key WHERE key_id IN ({marks})",  # noqa: S608 - placeholders only
            batch,
        )
        found += [row[0] for row in rows]
    return sorted(found)


def all_keys() -> list[StoredKey]:
    """Every stored key, by key id."""
    rows = _connection().execute(
        "SELECT key_id, user_id, wrapped, created_at FROM data_key ORDER BY key_id"
    )
    return [StoredKey(r[0], r[1], bytes(r[2]), r[3]) for r in rows]


def key_delete(key_id: str) -> bool:
    """Remove a key from the store and from its write-ahead log; whether it was there."""
    db = _connection()
    removed = db.execute("DELETE FROM data_key WHERE key_id=?", (str(key_id),)).rowcount
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return bool(removed)


def keys_replace(rows: list[StoredKey]) -> None:
    """Make the store hold exactly ``rows`` (a restore), in one transaction."""
    db = _connection()
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("DELETE FROM data_key")
        db.executemany(
            "INSERT INTO data_key (key_id, user_id, wrapped, created_at) VALUES (?,?,?,?)",
            [(r.key_id, r.user_id, r.wrapped, r.created_at) for r in rows],
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def close() -> None:
    """Close this thread's connection (tests switching stores, a restore)."""
    db = getattr(_local, "db", None)
    if db is not None:
        db.close()
    _local.path = _local.db = None
