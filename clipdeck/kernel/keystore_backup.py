"""Backups of the key store, on their own path, which erasure reaches.

``clipdeck keystore backup`` writes one file into
``settings.CLIPDECK_KEYSTORE_BACKUP_DIR`` (by default
``<data dir>/keystore-backups``; put it on other storage than the database
backups): ``CDKS1\\n`` then AES-256-GCM, under a key derived from the cell key,
of a JSON list of every stored key (each still wrapped by the cell key).

Shredding a key (:func:`backups_forget`) rewrites every key-store backup in
that folder without it: the new file is written and synced beside the old one
and renamed over it, and the old file's blocks are overwritten with zeros
through a handle kept open across the rename. A restore of a key-store backup
also drops every key id the shredded-key ledger lists.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from clipdeck.kernel import crypto, keystore, ledger

MAGIC = b"CDKS1\n"
SUFFIX = ".cdks"
KEY_PURPOSE = "clipdeck keystore backup v1"
ZERO_BLOCK = b"\0" * 65536

log = logging.getLogger(__name__)


class KeystoreBackupInvalid(Exception):
    """Not a key-store backup of this cell, or changed since it was written."""


@dataclass(frozen=True)
class KeystoreBackup:
    path: Path
    created_at: str
    region: str
    keys: list[keystore.StoredKey]


def backup_dir() -> Path:
    return Path(settings.CLIPDECK_KEYSTORE_BACKUP_DIR)


def keystore_backup_create() -> KeystoreBackup:
    """Write a backup of the whole key store into the key-store backup folder."""
    folder = backup_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = timezone.now()
    name = f"keys-{settings.CLIPDECK_REGION}-{now:%Y%m%dT%H%M%S%fZ}{SUFFIX}"
    backup = KeystoreBackup(
        folder / name, now.isoformat(), settings.CLIPDECK_REGION, keystore.all_keys()
    )
    _write_new(folder / name, backup)
    return backup


def keystore_backup_read(path: Path) -> KeystoreBackup:
    """Decrypt and parse a key-store backup; KeystoreBackupInvalid says what is wrong."""
    raw = Path(path).read_bytes()
    if not raw.startswith(MAGIC):
        raise KeystoreBackupInvalid(f"{path} is not a Clipdeck key-store backup.")
    try:
        plain = crypto.decrypt(crypto.derive_key(KEY_PURPOSE), raw[len(MAGIC) :], MAGIC)
    except crypto.DecryptionError as exc:
        raise KeystoreBackupInvalid(
            f"{path} does not open with this cell's key (CLIPDECK_CELL_KEY), or it was changed."
        ) from exc
    data = json.loads(plain)
    rows = [
        keystore.StoredKey(
            k["key_id"], k["user_id"], base64.b64decode(k["wrapped"]), k["created_at"]
        )
        for k in data["keys"]
    ]
    return KeystoreBackup(Path(path), data["created_at"], data["region"], rows)


def keystore_restore(path: Path) -> tuple[int, int]:
    """Replace the key store with a backup's keys, less every shredded one.

    Returns (keys restored, keys left out because the ledger lists them).
    """
    backup = keystore_backup_read(path)
    if backup.region != settings.CLIPDECK_REGION:
        raise KeystoreBackupInvalid(
            f"This key-store backup belongs to region '{backup.region}', "
            f"not '{settings.CLIPDECK_REGION}' (CLIPDECK_REGION)."
        )
    shredded = ledger.shredded_key_ids()
    kept = [k for k in backup.keys if k.key_id not in shredded]
    keystore.keys_replace(kept)
    return len(kept), len(backup.keys) - len(kept)


def backup_paths() -> list[Path]:
    folder = backup_dir()
    return sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []


def backups_forget(key_ids: set[str]) -> int:
    """Rewrite every key-store backup that holds one of ``key_ids`` without it; how many."""
    rewritten = 0
    for path in backup_paths():
        try:
            backup = keystore_backup_read(path)
        except KeystoreBackupInvalid:
            log.warning(
                "key-store backup %s does not open with this cell's key; left as is", path.name
            )
            continue
        kept = [k for k in backup.keys if k.key_id not in key_ids]
        if len(kept) == len(backup.keys):
            continue
        _rewrite(path, KeystoreBackup(path, backup.created_at, backup.region, kept))
        rewritten += 1
    return rewritten


def _encode(backup: KeystoreBackup) -> bytes:
    data = {
        "format": 1,
        "created_at": backup.created_at,
        "region": backup.region,
        "keys": [
            {
                "key_id": k.key_id,
                "user_id": k.user_id,
                "wrapped": base64.b64encode(k.wrapped).decode(),
                "created_at": k.created_at,
            }
            for k in backup.keys
        ],
    }
    plain = json.dumps(data, sort_keys=True).encode()
    return MAGIC + crypto.encrypt(crypto.derive_key(KEY_PURPOSE), plain, MAGIC)


def _write_new(path: Path, backup: KeystoreBackup) -> None:
    partial = path.with_name(f".{path.name}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as sink:
            sink.write(_encode(backup))
            sink.flush()
            os.fsync(sink.fileno())
        os.rename(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _rewrite(path: Path, backup: KeystoreBackup) -> None:
    """Replace ``path`` atomically, then overwrite the old file's blocks with zeros."""
    with open(path, "r+b") as old:
        size = os.fstat(old.fileno()).st_size
        _write_new(path, backup)
        while size > 0:
            size -= old.write(ZERO_BLOCK[: min(size, len(ZERO_BLOCK))])
        old.flush()
        os.fsync(old.fileno())
