"""Restore a backup: verify it completely, load it, then re-apply erasures.

The order matters:

1. decrypt and check every member into a staging folder (a tampered or
   foreign backup is refused here, before anything changes);
2. load the database (SQLite's backup API into the live file, or flush and
   ``loaddata`` of the JSON dump) and replace the media store's files;
3. erase again every account whose data key id is in the shredded-key ledger
   (kept outside backups) or whose key the key store does not hold (users'
   keys are never in a database backup; erasure removes a key from the store
   and from every key-store backup): a backup taken before an erasure never
   brings that person's data back;
4. rebuild every derived table (``kernel.derived``; backups leave them out).

Restore the key store first (``clipdeck keystore restore``) when it is lost:
a database backup whose accounts had keys is refused while the key store is
empty, unless a written reason says to go on without it (every account is
then erased again, since none of their sealed data can be read), which is
recorded in the audit chain.

Stop ``clipdeck serve`` and the workers while restoring.
"""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from clipdeck.kernel import keystore
from clipdeck.kernel.archive import BackupInvalid
from clipdeck.kernel.audit import audit_append
from clipdeck.kernel.derived import rebuilds
from clipdeck.kernel.ledger import shredded_key_ids
from clipdeck.privacy.backup import BackupSummary, backup_read, media_names
from clipdeck.privacy.erasure import reapply_ledger
from clipdeck.privacy.models import DataExport

MIN_REASON = 10


@dataclass(frozen=True)
class RestoreSummary:
    backup: BackupSummary
    media_files: int
    reerased: int


def backup_restore(
    path: Path, *, ledger_behind_reason: str = "", without_keystore_reason: str = ""
) -> RestoreSummary:
    """Replace the database and media with the backup at ``path``.

    Refused, with nothing changed, when the backup was taken after more erasures
    than the shredded-key ledger given here lists: restoring it would bring those
    accounts back. ``ledger_behind_reason`` (a written reason) goes on anyway and
    records the decision in the audit chain; so does ``without_keystore_reason``
    for a backup of accounts restored where the key store is empty.
    """
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix=".restore-") as work:
        staging = Path(work)
        summary = backup_read(path, extract_to=staging)
        region = summary.header.get("region")
        if region != settings.CLIPDECK_REGION:
            raise BackupInvalid(
                f"This backup belongs to a cell in region '{region}', not "
                f"'{settings.CLIPDECK_REGION}' (CLIPDECK_REGION)."
            )
        overridden = _ledger_behind(summary.header, ledger_behind_reason)
        keyless = _without_keystore(summary.header, without_keystore_reason)
        load_database(staging / summary.database)
        count = replace_media(staging / "media")
    _forget_exports()
    if overridden:  # into the restored chain, so the decision stays on record
        audit_append(
            actor_id=None,
            actor_role="operator",
            action="restore_ledger_behind",
            subject=f"backup:{path.name}",
            fields=[],
            justification=ledger_behind_reason.strip()[:500],
        )
    if keyless:
        audit_append(
            actor_id=None,
            actor_role="operator",
            action="restore_without_keystore",
            subject=f"backup:{path.name}",
            fields=[],
            justification=without_keystore_reason.strip()[:500],
        )
    reerased = reapply_ledger()
    for rebuild in rebuilds():
        rebuild()
    return RestoreSummary(summary, count, reerased)


def _ledger_behind(header: dict, reason: str) -> bool:
    """Whether the ledger here is behind the backup and a reason lets the restore go on;
    refuses (nothing changed yet) when it is behind without a reason."""
    known, needed = len(shredded_key_ids()), int(header.get("shredded_keys", 0))
    if known >= needed:
        return False
    if len(reason.strip()) < MIN_REASON:
        raise BackupInvalid(
            f"This backup was taken after {needed} erasure(s), but the shredded-key ledger "
            f"here ({settings.CLIPDECK_SHREDDED_KEYS_FILE}) lists {known}: restoring it would "
            "bring erased accounts back. Put the ledger kept beside the backups in place, or "
            "give a written reason with --ledger-behind (recorded in the audit chain)."
        )
    return True


def _without_keystore(header: dict, reason: str) -> bool:
    """Whether the key store here is empty while the backup's accounts had keys, and a
    reason lets the restore go on; refuses (nothing changed yet) without one."""
    if not int(header.get("keyed_accounts", 0)) or keystore.all_keys():
        return False
    if len(reason.strip()) < MIN_REASON:
        raise BackupInvalid(
            f"The key store ({keystore.store_path()}) is empty, but the accounts in this "
            "backup had data keys: restore it first with 'clipdeck keystore restore FILE' "
            "(from the key-store backups), or give a written reason with --without-keystore "
            "(every account is then erased again; recorded in the audit chain)."
        )
    return True


def load_database(dump: Path) -> None:
    if dump.suffix == ".sqlite3":
        if connection.vendor != "sqlite":
            raise BackupInvalid("This backup holds a SQLite database; restore it into SQLite.")
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
        return
    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", str(dump), verbosity=0)


def replace_media(folder: Path) -> int:
    """Make the media store hold exactly the backup's files; how many were restored."""
    restored = sorted(
        str(path.relative_to(folder)).replace("\\", "/")
        for path in (folder.rglob("*") if folder.exists() else [])
        if path.is_file()
    )
    for name in set(media_names()) - set(restored):
        default_storage.delete(name)
    for name in restored:
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(folder / name, "rb") as source:
            default_storage.save(name, File(source))
    return len(restored)


def _forget_exports() -> None:
    """Export files are never in backups, so restored export rows point at nothing."""
    for export in DataExport.objects.all():
        if export.file.name:
            default_storage.delete(export.file.name)
        export.delete()
