"""``clipdeck audit verify [--from-checkpoint FILE]`` and ``clipdeck audit checkpoint``."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clipdeck.kernel.audit import audit_checkpoint, audit_verify


class Command(BaseCommand):
    help = "Verify the hash-chained audit log, or emit a signed checkpoint of its head."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute the chain; name the first bad entry")
        verify.add_argument("--from-checkpoint", metavar="FILE", help="a saved checkpoint")
        checkpoint = sub.add_parser("checkpoint", help="print a signed head for an auditor")
        checkpoint.add_argument("--out", metavar="FILE", help="write it to FILE")

    def handle(self, *args, action: str, **options) -> None:
        if action == "checkpoint":
            text = json.dumps(audit_checkpoint(), indent=2)
            if options.get("out"):
                Path(options["out"]).write_text(text + "\n")
            self.stdout.write(text)
            return
        checkpoint = None
        if options.get("from_checkpoint"):
            try:
                checkpoint = json.loads(Path(options["from_checkpoint"]).read_text())
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read the checkpoint: {exc}") from exc
        verdict = audit_verify(checkpoint=checkpoint)
        if not verdict.ok:
            raise CommandError(verdict.message())
        self.stdout.write(verdict.message())
