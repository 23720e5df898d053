"""Encrypted, verifiable backups of the database and the media store.

A backup is one file in the configured backup location (``CLIPDECK_BACKUP_URL``,
a local folder for now), written under a hidden name and renamed when
complete. Inside the encrypted container (``privacy.archive``) is a tar stream:

- ``database/database.sqlite3``: a consistent copy made with SQLite's backup
  API, or ``database/database.json``: a logical dump through Django's
  serialisers for other databases (PostgreSQL), natural keys included;
- ``media/<name>``: every media file except ``exports/`` (personal-data exports
  are short-lived plaintext ZIPs and never go into backups);
- ``manifest.json``: the SHA-256 of every member, checked on verify and restore.

Nothing else of the data folder is copied; in particular neither the cell key,
the shredded-key ledger nor the key store (users' data keys) is ever in a
backup. Each backup is paired with a key-store backup written at the same time
into its own folder (``kernel.keystore_backup``), which erasure rewrites.
Tables registered as derived (``kernel.derived``) are left out empty and
rebuilt after a restore.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from clipdeck.kernel import keystore
from clipdeck.kernel.archive import BackupInvalid, DecryptingReader, EncryptingWriter
from clipdeck.kernel.derived import derived_sql_tables, derived_tables
from clipdeck.kernel.keystore_backup import keystore_backup_create
from clipdeck.kernel.ledger import shredded_key_ids
from clipdeck.privacy.residency import policy_violations

SUFFIX = ".cdbk"
EXCLUDED_MEDIA = ("exports/",)
COPY_BYTES = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be made: the message says which setting to fix."""


@dataclass
class BackupSummary:
    path: Path
    header: dict
    database: str = ""
    files: dict[str, str] = field(default_factory=dict)
    keystore_backup: Path | None = None

    @property
    def media_count(self) -> int:
        return sum(1 for name in self.files if name.startswith("media/"))


def backup_dir() -> Path:
    """The configured local backup folder."""
    url = settings.CLIPDECK_BACKUP_URL
    if not url:
        raise BackupError(
            "No backup location: set CLIPDECK_BACKUP_URL (a folder) and CLIPDECK_BACKUP_REGION."
        )
    if url.startswith("file://"):
        url = url.removeprefix("file://")
    elif "://" in url:
        raise BackupError(f"CLIPDECK_BACKUP_URL must be a local folder or file:// URL, not {url}.")
    return Path(url).expanduser()


def backup_create() -> BackupSummary:
    """Write a new backup into the backup location; refuses while the policy is broken."""
    problems = policy_violations()
    if problems:
        raise BackupError(" ".join(problems))
    folder = backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    name = f"clipdeck-{settings.CLIPDECK_REGION}-{now:%Y%m%dT%H%M%S%fZ}{SUFFIX}"
    header = {
        "format": 1,
        "created_at": now.isoformat(),
        "region": settings.CLIPDECK_REGION,
        # The ledger's high-water mark: a restore refuses a ledger that knows fewer.
        "shredded_keys": len(shredded_key_ids()),
        # Users' keys are not in the backup: a restore wants the key store in place.
        "keyed_accounts": len(keystore.all_keys()),
        "derived_tables": sorted(derived_tables()) + list(derived_sql_tables()),
    }
    partial = folder / f".{name}.partial"
    try:
        with open(partial, "xb") as sink:
            files = _write(sink, header)
            sink.flush()
            os.fsync(sink.fileno())
        os.rename(partial, folder / name)
    finally:
        partial.unlink(missing_ok=True)
    keys = keystore_backup_create()
    return BackupSummary(folder / name, header, files["database"], files["files"], keys.path)


def _write(sink, header: dict) -> dict:
    writer = EncryptingWriter(sink, header)
    manifest: dict[str, Any] = {"header": header, "database": "", "files": {}}
    with tempfile.TemporaryDirectory() as work, tarfile.open(fileobj=writer, mode="w|") as tar:
        dump = dump_database(Path(work))
        manifest["database"] = f"database/{dump.name}"
        with open(dump, "rb") as source:
            _add(tar, manifest, manifest["database"], source, dump.stat().st_size)
        for name in media_names():
            with default_storage.open(name, "rb") as source:
                _add(tar, manifest, f"media/{name}", source, default_storage.size(name))
        encoded = json.dumps(manifest, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(encoded)
        tar.addfile(info, _Reader(encoded))
    writer.close()
    return manifest


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk, self.offset = self.data[self.offset : end], min(end, len(self.data))
        return chunk


class _Hashing:
    """Reads from ``source`` while hashing what passes."""

    def __init__(self, source) -> None:
        self.source, self.sha = source, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.sha.update(data)
        return data


def _add(tar: tarfile.TarFile, manifest: dict, name: str, source, size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    hashing = _Hashing(source)
    tar.addfile(info, hashing)
    manifest["files"][name] = hashing.sha.hexdigest()


def dump_database(folder: Path) -> Path:
    """A consistent copy of the database in ``folder``: SQLite file or JSON dump."""
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        _empty_derived(target)
        copy.close()
        return target
    target = folder / "database.json"
    call_command(
        "dumpdata",
        # Primary keys are kept: ids live on in signed URLs, events and the ledger.
        natural_foreign=True,
        exclude=["contenttypes", "auth.permission", "sessions", *derived_tables()],
        output=str(target),
        verbosity=0,
    )
    return target


def _empty_derived(copy_path: Path) -> None:
    """Delete the rows of every derived table from the copy, leaving no trace in its pages."""
    tables = [apps.get_model(label)._meta.db_table for label in derived_tables()]
    tables += list(derived_sql_tables())
    if not tables:
        return
    copy = sqlite3.connect(copy_path)
    try:
        present = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        for table in tables:
            if table in present:
                copy.execute(f'DELETE FROM "{table}"')  # noqa: S608 - names from the registry
        copy.commit()
        copy.execute("VACUUM")
    finally:
        copy.close()


def media_names(prefix: str = "") -> list[str]:
    """Every file in the media store (``exports/`` excluded), sorted."""
    try:
        folders, files = default_storage.listdir(prefix or ".")
    except FileNotFoundError:
        return []
    names = [f"{prefix}{name}" for name in files]
    for folder in folders:
        names += media_names(f"{prefix}{folder}/")
    return sorted(n for n in names if not n.startswith(EXCLUDED_MEDIA) and "/." not in f"/{n}")


def backup_read(path: Path, extract_to: Path | None = None) -> BackupSummary:
    """Decrypt, authenticate and check every member of a backup against its manifest.

    With ``extract_to`` the members are written there too. Raises BackupInvalid
    naming the problem; nothing outside ``extract_to`` is touched.
    """
    with open(path, "rb") as source:
        reader = DecryptingReader(source)
        seen, manifest = {}, None
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    data = tar.extractfile(member) if member.isfile() else None
                    if data is None:
                        raise BackupInvalid(f"Unexpected entry {member.name!r} in the backup.")
                    if member.name == "manifest.json":
                        manifest = json.loads(data.read())
                        continue
                    seen[member.name] = _copy_member(member.name, data, extract_to)
        except tarfile.TarError as exc:
            raise BackupInvalid(f"The backup's contents are damaged: {exc}.") from exc
    checked = _check_manifest(manifest, seen)
    return BackupSummary(Path(path), reader.header, checked["database"], checked["files"])


def _copy_member(name: str, data, extract_to: Path | None) -> str:
    parts = PurePosixPath(name).parts
    if parts[0] not in {"database", "media"} or ".." in parts or name.startswith("/"):
        raise BackupInvalid(f"Unexpected entry {name!r} in the backup.")
    sha = hashlib.sha256()
    sink = None
    if extract_to is not None:
        target = extract_to.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        sink = open(target, "wb")  # noqa: SIM115 - closed below
    try:
        while chunk := data.read(COPY_BYTES):
            sha.update(chunk)
            if sink:
                sink.write(chunk)
    finally:
        if sink:
            sink.close()
    return sha.hexdigest()


def _check_manifest(manifest: dict | None, seen: dict[str, str]) -> dict:
    """The backup's manifest, once it lists exactly the members ``seen``, with their digests."""
    if manifest is None:
        raise BackupInvalid("The backup has no manifest.")
    expected = manifest.get("files", {})
    for name, digest in sorted(expected.items()):
        if seen.get(name) != digest:
            raise BackupInvalid(f"{name} is missing or differs from the manifest.")
    extra = sorted(set(seen) - set(expected))
    if extra:
        raise BackupInvalid(f"{extra[0]} is not listed in the manifest.")
    return manifest
