"""The shredded-key ledger: ids of data keys destroyed by erasure, kept outside backups.

A backup taken before an erasure still holds the erased user's rows and
wrapped data key. The ledger (``settings.CLIPDECK_SHREDDED_KEYS_FILE``, by
default ``<data dir>/shredded-keys``) lists every shredded key id, one per line
with the time; it is never written into a backup. ``clipdeck restore`` erases
again every user whose key id is listed before the restored database is used,
and :func:`is_shredded` makes unwrapping a listed key fail even if a database
was restored some other way. The file holds random key ids only, no personal data.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

_cache: dict[str, tuple[float, frozenset[str]]] = {}


def ledger_path() -> Path:
    return Path(settings.CLIPDECK_SHREDDED_KEYS_FILE)


def record_shredded(key_id: str) -> None:
    """Append ``key_id`` to the ledger and flush it to disk before returning."""
    path = ledger_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = f"{key_id} {timezone.now().isoformat()}\n".encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def shredded_key_ids() -> frozenset[str]:
    """Every key id in the ledger (cached until the file changes)."""
    path = ledger_path()
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        return frozenset()
    cached = _cache.get(str(path))
    if cached and cached[0] == mtime:
        return cached[1]
    ids = frozenset(line.split()[0] for line in path.read_text().splitlines() if line.strip())
    _cache[str(path)] = (mtime, ids)
    return ids


def is_shredded(key_id: str) -> bool:
    return str(key_id) in shredded_key_ids()
