"""``clipdeck keystore backup | verify FILE | restore FILE``: the users' key store."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clipdeck.kernel import keystore
from clipdeck.kernel.keystore_backup import (
    KeystoreBackupInvalid,
    keystore_backup_create,
    keystore_backup_read,
    keystore_restore,
)


class Command(BaseCommand):
    help = (
        "Back up, verify or restore the key store of users' data keys "
        "(CLIPDECK_KEYSTORE_PATH; backups go to CLIPDECK_KEYSTORE_BACKUP_DIR)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["backup", "verify", "restore"])
        parser.add_argument("file", nargs="?", help="a .cdks key-store backup (verify, restore)")

    def handle(self, *args, action: str, file: str | None = None, **options) -> None:
        if action != "backup" and not file:
            raise CommandError(f"keystore {action} needs the FILE of a key-store backup.")
        try:
            if action == "backup":
                made = keystore_backup_create()
                self.stdout.write(f"Wrote {made.path}: {len(made.keys)} key(s).")
            elif action == "verify":
                read = keystore_backup_read(Path(file or ""))
                self.stdout.write(
                    f"Verified {read.path}: {len(read.keys)} key(s), made {read.created_at} "
                    f"in region {read.region}."
                )
            else:
                kept, dropped = keystore_restore(Path(file or ""))
                self.stdout.write(
                    f"Restored {kept} key(s) into {keystore.store_path()}; {dropped} left out "
                    "(shredded by an erasure)."
                )
        except (KeystoreBackupInvalid, OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
