"""``clipdeck restore FILE`` restores a backup, then re-applies erasures."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clipdeck.kernel.archive import BackupInvalid
from clipdeck.privacy.restore import backup_restore


class Command(BaseCommand):
    help = "Restore a backup (stop the server and workers first)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="a .cdbk file written by clipdeck backup")
        parser.add_argument(
            "--ledger-behind",
            default="",
            metavar="REASON",
            help="restore even though the shredded-key ledger lists fewer erasures than the "
            "backup knew of (erased accounts come back); the reason goes into the audit chain",
        )

        parser.add_argument(
            "--without-keystore",
            default="",
            metavar="REASON",
            help="restore although the key store is empty: no account's sealed data can be "
            "read, so every account is erased again; the reason goes into the audit chain",
        )

    def handle(
        self, *args, file: str, ledger_behind: str = "", without_keystore: str = "", **options
    ) -> None:
        try:
            summary = backup_restore(
                Path(file),
                ledger_behind_reason=ledger_behind,
                without_keystore_reason=without_keystore,
            )
        except (BackupInvalid, OSError) as exc:
            raise CommandError(f"Backup refused, nothing was changed: {exc}") from exc
        self.stdout.write(
            f"Restored {file}: database {summary.backup.database}, {summary.media_files} media "
            f"files; {summary.reerased} account(s) erased again "
            "(key shredded, or not in the key store)."
        )
