"""clipdeck backup / restore: encrypted, verified, and erasures survive a restore."""

from __future__ import annotations

import os
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from clipdeck.accounts.models import User
from clipdeck.accounts.services import user_email
from clipdeck.kernel import keys, keystore
from clipdeck.kernel.archive import DecryptingReader
from clipdeck.kernel.models import AuditEntry
from clipdeck.privacy.backup import BackupError, backup_create
from clipdeck.privacy.erasure import account_erase
from clipdeck.videos.models import Video
from tests.factories import UserFactory
from tests.privacy.conftest import media_paths, video_with_files

pytestmark = pytest.mark.django_db(transaction=True)


def only_backup(settings) -> Path:
    (path,) = Path(settings.CLIPDECK_BACKUP_URL).glob("*.cdbk")
    return path


def decrypted_members(path: Path) -> dict[str, bytes]:
    with (
        open(path, "rb") as source,
        tarfile.open(fileobj=DecryptingReader(source), mode="r|") as tar,
    ):
        return {member.name: tar.extractfile(member).read() for member in tar}


def test_a_backup_round_trips_the_database_and_the_media(settings, capsys):
    keeper = UserFactory(email="keeper@example.com")
    video = video_with_files(keeper)
    paths = media_paths(video)
    call_command("backup")
    backup = only_backup(settings)
    Video.objects.filter(pk=video.pk).delete()
    os.remove(paths[0])
    UserFactory(handle="latecomer")

    call_command("restore", str(backup))

    assert list(User.objects.values_list("handle", flat=True)) == [keeper.handle]
    assert user_email(User.objects.get()) == "keeper@example.com"
    assert Video.objects.get().pk == video.pk
    assert Path(paths[0]).read_bytes() == b"original " + keeper.handle.encode()
    out = capsys.readouterr().out
    assert "Restored" in out and "3 media files" in out


def test_a_backup_is_encrypted_and_holds_the_email_only_as_ciphertext(settings):
    UserFactory(email="secret-person@example.com")

    summary = backup_create()

    raw = summary.path.read_bytes()
    assert b"secret-person" not in raw and b"SQLite format" not in raw
    members = decrypted_members(summary.path)
    dump = (
        "database/database.sqlite3" if connection.vendor == "sqlite" else "database/database.json"
    )
    assert set(members) == {dump, "manifest.json"}
    assert b"secret-person@example.com" not in members[dump]


def test_verify_accepts_an_intact_backup(settings, capsys):
    UserFactory()
    call_command("backup")

    call_command("backup", "--verify", str(only_backup(settings)))

    assert "Verified" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: data[:-10], "cut short"),
        (lambda data: data[:300] + bytes([data[300] ^ 1]) + data[301:], "does not authenticate"),
        (lambda data: b"XXXXX" + data[5:], "not a Clipdeck backup"),
    ],
    ids=["truncated", "flipped-byte", "wrong-magic"],
)
def test_a_damaged_backup_is_refused_and_nothing_is_restored(settings, damage, message):
    UserFactory(handle="original")
    call_command("backup")
    backup = only_backup(settings)
    backup.write_bytes(damage(backup.read_bytes()))
    UserFactory(handle="after")

    with pytest.raises(CommandError) as verify:
        call_command("backup", "--verify", str(backup))
    with pytest.raises(CommandError) as restore:
        call_command("restore", str(backup))

    assert message in str(verify.value)
    assert str(restore.value).startswith("Backup refused, nothing was changed:")
    assert set(User.objects.values_list("handle", flat=True)) == {"original", "after"}


def test_a_backup_of_another_cell_key_is_refused(settings):
    UserFactory()
    call_command("backup")
    settings.CLIPDECK_CELL_KEY = "a different cell"

    with pytest.raises(CommandError) as error:
        call_command("backup", "--verify", str(only_backup(settings)))

    assert "another key (CLIPDECK_CELL_KEY)" in str(error.value)


def test_an_erasure_survives_restoring_a_backup_taken_before_it(
    settings, capsys, django_capture_on_commit_callbacks
):
    erased = UserFactory(handle="leaver", email="leaver@example.com")
    stays = UserFactory(handle="stayer", email="stayer@example.com")
    video = video_with_files(erased)
    key_id = keystore.key_of_user(erased.pk).key_id
    ciphertext = User.objects.get(pk=erased.pk).email
    backup = backup_create().path
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=User.objects.get(pk=erased.pk))

    call_command("restore", str(backup))

    assert "1 account(s) erased again" in capsys.readouterr().out
    assert Path(settings.CLIPDECK_SHREDDED_KEYS_FILE).read_text().count(key_id) == 1
    assert list(User.objects.values_list("handle", flat=True)) == ["stayer"]
    assert user_email(User.objects.get(pk=stays.pk)) == "stayer@example.com"
    assert keystore.key_by_id(key_id) is None
    assert not Video.objects.exists()
    assert not any(os.path.exists(path) for path in media_paths(video))
    ghost = User(pk=erased.pk, email=ciphertext)
    with pytest.raises(keys.KeyShredded):
        user_email(ghost)


def test_the_ledger_also_blocks_a_restore_made_outside_clipdeck(settings):
    """Even with the key row back (e.g. a hand-restored database), a shredded key never opens."""
    user = UserFactory(email="ghost@example.com")
    row = keystore.key_of_user(user.pk)
    keys.user_key_shred(User.objects.get(pk=user.pk))
    keystore.key_put(key_id=row.key_id, user_id=user.pk, wrapped=row.wrapped)

    with pytest.raises(keys.KeyShredded):
        user_email(User.objects.get(pk=user.pk))


def test_a_logical_dump_round_trips_too(settings, monkeypatch):
    """Databases other than SQLite (PostgreSQL) are dumped through Django's serialisers."""
    keeper = UserFactory(email="json@example.com")
    monkeypatch.setattr(connection, "vendor", "postgresql")
    summary = backup_create()
    monkeypatch.undo()
    UserFactory(handle="latecomer")

    call_command("restore", str(summary.path))

    assert summary.database == "database/database.json"
    assert list(User.objects.values_list("handle", flat=True)) == [keeper.handle]
    assert user_email(User.objects.get()) == "json@example.com"


def test_no_backup_without_a_location(settings):
    settings.CLIPDECK_BACKUP_URL = ""

    with pytest.raises(CommandError) as error:
        call_command("backup")

    assert "CLIPDECK_BACKUP_URL" in str(error.value)


def test_no_backup_to_a_location_the_policy_forbids(settings):
    settings.CLIPDECK_BACKUP_REGION = "eu"

    with pytest.raises(BackupError) as error:
        backup_create()

    assert "CLIPDECK_BACKUP_REGION" in str(error.value)
    assert not Path(settings.CLIPDECK_BACKUP_URL).exists()


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL is dumped as JSON, not copied as a file"
)
def test_the_sqlite_copy_is_a_consistent_database(settings):
    UserFactory(handle="consistent")
    members = decrypted_members(backup_create().path)
    copy = Path(settings.CLIPDECK_BACKUP_URL) / "copy.sqlite3"
    copy.write_bytes(members["database/database.sqlite3"])

    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT handle FROM accounts_user").fetchall() == [("consistent",)]
    db.close()


def backup_after_an_erasure(django_capture_on_commit_callbacks) -> Path:
    leaver = UserFactory(handle="leaver", email="leaver@example.com")
    UserFactory(handle="stayer")
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=User.objects.get(pk=leaver.pk))
    return backup_create().path


def test_a_restore_refuses_a_ledger_that_knows_fewer_erasures_than_the_backup(
    settings, django_capture_on_commit_callbacks
):
    backup = backup_after_an_erasure(django_capture_on_commit_callbacks)
    Path(settings.CLIPDECK_SHREDDED_KEYS_FILE).unlink()  # a new machine: cell key, no ledger
    UserFactory(handle="latecomer")

    with pytest.raises(CommandError, match="lists 0: restoring it would bring erased accounts"):
        call_command("restore", str(backup))

    assert set(User.objects.values_list("handle", flat=True)) == {"stayer", "latecomer"}


def test_going_on_with_a_ledger_behind_needs_a_reason_and_is_audited(
    settings, capsys, django_capture_on_commit_callbacks
):
    backup = backup_after_an_erasure(django_capture_on_commit_callbacks)
    Path(settings.CLIPDECK_SHREDDED_KEYS_FILE).unlink()

    with pytest.raises(CommandError):
        call_command("restore", str(backup), ledger_behind="ok")
    call_command("restore", str(backup), ledger_behind="The ledger copy burned with the rack.")

    entry = AuditEntry.objects.get(action="restore_ledger_behind")
    assert entry.subject == f"backup:{backup.name}"
    assert entry.justification == "The ledger copy burned with the rack."
    assert list(User.objects.values_list("handle", flat=True)) == ["stayer"]
