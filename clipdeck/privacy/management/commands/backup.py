"""``clipdeck backup`` writes an encrypted backup; ``--verify FILE`` checks one."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clipdeck.kernel.archive import BackupInvalid
from clipdeck.privacy.backup import BackupError, backup_create, backup_read


class Command(BaseCommand):
    help = "Write an encrypted, verifiable backup (database and media) to CLIPDECK_BACKUP_URL."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--verify", metavar="FILE", help="check a backup instead of making one")

    def handle(self, *args, verify: str | None = None, **options) -> None:
        try:
            summary = backup_read(Path(verify)) if verify else backup_create()
        except (BackupError, BackupInvalid, OSError) as exc:
            raise CommandError(str(exc)) from exc
        verb = "Verified" if verify else "Wrote"
        self.stdout.write(
            f"{verb} {summary.path}: database {summary.database}, "
            f"{summary.media_count} media files, made {summary.header.get('created_at')} "
            f"in region {summary.header.get('region')}."
        )
        if summary.keystore_backup is not None:
            self.stdout.write(f"Wrote the key-store backup {summary.keystore_backup}.")
