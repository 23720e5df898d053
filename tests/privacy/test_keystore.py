"""The key store: users' data keys live apart from the database, its backups and their
rewriting on erasure, the bounded cache of unwrapped keys, and restores that need it."""

from __future__ import annotations

import base64
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from clipdeck.accounts.models import User
from clipdeck.accounts.services import user_email
from clipdeck.kernel import crypto, keys, keystore, ledger
from clipdeck.kernel.archive import DecryptingReader
from clipdeck.kernel.derived import register_derived_table, unregister_derived_table
from clipdeck.kernel.keystore_backup import (
    KeystoreBackupInvalid,
    backup_paths,
    keystore_backup_create,
    keystore_backup_read,
    keystore_restore,
)
from clipdeck.kernel.models import AuditEntry
from clipdeck.privacy.backup import backup_create
from clipdeck.privacy.erasure import account_erase
from clipdeck.privacy.models import TransparencyCount
from clipdeck.privacy.restore import backup_restore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _backup_members(path: Path, folder: Path) -> Path:
    """Decrypt a backup (as whoever holds the cell key can) into ``folder``."""
    with (
        open(path, "rb") as source,
        tarfile.open(fileobj=DecryptingReader(source), mode="r|") as tar,
    ):
        tar.extractall(folder, filter="data")
    return folder


def _tables(dump: Path) -> set[str]:
    """The tables of a SQLite dump, or the models (as tables) of a JSON dump."""
    if dump.suffix == ".json":
        return {row["model"].replace(".", "_") for row in json.loads(dump.read_text())}
    with sqlite3.connect(dump) as copy:
        return {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}


def _rows(dump: Path, table: str, model: str) -> int:
    if dump.suffix == ".json":
        return sum(row["model"] == model for row in json.loads(dump.read_text()))
    with sqlite3.connect(dump) as copy:
        return copy.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608


def _store_bytes(store: Path) -> bytes:
    """The key store file and its write-ahead log, as they are on disk."""
    wal = store.with_name(store.name + "-wal")
    return store.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_the_key_store_is_a_file_of_its_own_and_no_database_table_holds_keys(settings):
    user = UserFactory(email="own@example.com")
    stored = keystore.key_of_user(user.pk)

    tables = connection.introspection.table_names()

    assert "privacy_userkey" not in tables
    assert Path(settings.CLIPDECK_KEYSTORE_PATH).is_file()
    assert stored is not None and stored.user_id == user.pk
    assert stored.wrapped in _store_bytes(Path(settings.CLIPDECK_KEYSTORE_PATH))


def test_a_database_backup_holds_no_user_key(tmp_path):
    user = UserFactory(email="nokeys@example.com")
    wrapped = keystore.key_of_user(user.pk).wrapped

    summary = backup_create()
    dump = _backup_members(summary.path, tmp_path / "open") / summary.database

    assert wrapped not in dump.read_bytes()
    assert base64.b64encode(wrapped) not in dump.read_bytes()  # a JSON dump's form
    assert "privacy_userkey" not in _tables(dump)
    assert summary.header["keyed_accounts"] == 1
    assert summary.keystore_backup is not None and summary.keystore_backup.is_file()


def test_shredding_a_key_removes_it_from_the_store_file_and_every_key_store_backup(settings):
    leaver, stayer = UserFactory(), UserFactory()
    wrapped = keystore.key_of_user(leaver.pk).wrapped
    first, second = keystore_backup_create(), keystore_backup_create()
    assert {k.user_id for k in keystore_backup_read(first.path).keys} == {leaver.pk, stayer.pk}

    key_id = keys.user_key_shred(User.objects.get(pk=leaver.pk))

    for path in (first.path, second.path):
        assert [k.user_id for k in keystore_backup_read(path).keys] == [stayer.pk]
        assert key_id not in str(keystore_backup_read(path).keys)
    assert backup_paths() == sorted([first.path, second.path])
    assert wrapped not in _store_bytes(Path(settings.CLIPDECK_KEYSTORE_PATH))
    assert keystore.key_by_id(key_id) is None


def test_a_key_store_backup_from_another_cell_or_changed_is_refused(settings):
    UserFactory()
    made = keystore_backup_create()
    raw = bytearray(made.path.read_bytes())
    raw[-5] ^= 1
    made.path.write_bytes(bytes(raw))

    with pytest.raises(KeystoreBackupInvalid, match="does not open"):
        keystore_backup_read(made.path)

    other = keystore_backup_create()
    settings.CLIPDECK_CELL_KEY = "another cell's key"
    with pytest.raises(KeystoreBackupInvalid, match="CLIPDECK_CELL_KEY"):
        keystore_restore(other.path)


def test_restoring_the_key_store_leaves_out_every_shredded_key():
    leaver, stayer = UserFactory(email="l@example.com"), UserFactory(email="s@example.com")
    made = keystore_backup_create()
    snapshot = made.path.read_bytes()  # a copy kept out of reach of the rewrite
    key_id = keys.user_key_shred(User.objects.get(pk=leaver.pk))
    made.path.write_bytes(snapshot)
    keystore.keys_replace([])
    keys.unwrapped.clear()

    kept, dropped = keystore_restore(made.path)

    assert (kept, dropped) == (1, 1)
    assert keystore.key_by_id(key_id) is None
    assert user_email(User.objects.get(pk=stayer.pk)) == "s@example.com"


def test_the_keystore_command_backs_up_verifies_and_restores(capsys):
    user = UserFactory(email="cmd@example.com")

    call_command("keystore", "backup")
    path = backup_paths()[0]
    call_command("keystore", "verify", str(path))
    keystore.keys_replace([])
    keys.unwrapped.clear()
    call_command("keystore", "restore", str(path))

    out = capsys.readouterr().out
    assert "1 key(s)" in out
    assert "Restored 1 key(s)" in out
    assert user_email(User.objects.get(pk=user.pk)) == "cmd@example.com"
    with pytest.raises(CommandError, match="needs the FILE"):
        call_command("keystore", "restore")
    with pytest.raises(CommandError, match="not a Clipdeck key-store backup"):
        call_command("keystore", "verify", __file__)


def test_unwrapped_keys_are_cached_within_a_bound_and_dropped_on_shred(monkeypatch):
    monkeypatch.setattr(keys, "unwrapped", keys._KeyCache(2))
    users = [UserFactory() for _ in range(3)]
    keys.unwrapped.clear()

    for user in users:
        keys.key_of(user.pk)

    assert len(keys.unwrapped) == 2
    assert keys.unwrapped.get(keys._slot(users[0].pk)) is None
    keys.user_key_shred(User.objects.get(pk=users[2].pk))
    assert keys.unwrapped.get(keys._slot(users[2].pk)) is None
    with pytest.raises(keys.KeyShredded):
        keys.key_of(users[2].pk)


def test_a_key_shredded_by_another_process_stops_opening_here_at_once():
    user = UserFactory()
    key_id, _ = keys.key_of(user.pk)  # now cached in this process

    ledger.record_shredded(key_id)  # what an erasure elsewhere writes first

    with pytest.raises(keys.KeyShredded):
        keys.key_of(user.pk)
    assert keys.unwrapped.get(keys._slot(user.pk)) is None


def test_restore_refuses_while_the_key_store_is_empty_unless_told_why(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(email="keyless@example.com")
    backup = backup_create().path
    keystore.keys_replace([])
    keys.unwrapped.clear()

    with pytest.raises(Exception, match="clipdeck keystore restore FILE"):
        backup_restore(backup)
    assert User.objects.filter(pk=user.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        summary = backup_restore(backup, without_keystore_reason="key store lost with the host")

    assert summary.reerased == 1
    assert not User.objects.exists()
    entry = AuditEntry.objects.get(action="restore_without_keystore")
    assert entry.justification == "key store lost with the host"


def test_restore_erases_again_an_account_whose_key_left_the_store(
    django_capture_on_commit_callbacks,
):
    leaver, stayer = UserFactory(email="gone@example.com"), UserFactory(email="here@example.com")
    backup = backup_create().path
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=User.objects.get(pk=leaver.pk))
    Path(ledger.ledger_path()).unlink()  # even without the ledger

    with django_capture_on_commit_callbacks(execute=True):
        summary = backup_restore(backup)

    assert summary.reerased == 1
    assert list(User.objects.values_list("pk", flat=True)) == [stayer.pk]
    assert user_email(User.objects.get(pk=stayer.pk)) == "here@example.com"


def test_derived_tables_are_left_out_of_backups_and_rebuilt_after_restore(tmp_path):
    TransparencyCount.objects.create(day="2026-01-01", kind="exports", count=3)
    rebuilt = []
    register_derived_table("privacy.TransparencyCount", rebuild=lambda: rebuilt.append(1))
    try:
        summary = backup_create()
        dump = _backup_members(summary.path, tmp_path / "open") / summary.database
        rows = _rows(dump, "privacy_transparencycount", "privacy.transparencycount")
        backup_restore(summary.path)
    finally:
        unregister_derived_table("privacy.TransparencyCount")

    assert rows == 0
    assert "privacy.TransparencyCount" in summary.header["derived_tables"]
    assert {"videos.CaptionWord", "search_fts", "search_entry"} <= set(
        summary.header["derived_tables"]
    )
    assert rebuilt == [1]


def test_the_wrapped_key_in_the_store_does_not_open_under_another_cell_key(settings):
    stored = keystore.key_of_user(UserFactory().pk)
    settings.CLIPDECK_CELL_KEY = "another cell's key"

    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_key(stored.wrapped, stored.key_id)
