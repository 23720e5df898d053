"""``clipdeck audit verify [--from-checkpoint FILE]`` and ``clipdeck audit checkpoint``.

``verify`` always checks the chain against the newest checkpoint in the witness
folder (``CLIPDECK_AUDIT_WITNESS_DIR``) too, and against ``FILE`` if given.
``checkpoint`` publishes the signed head to the witness folder and prints it.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clipdeck.kernel.audit import audit_verify, witness_latest, witness_publish


class Command(BaseCommand):
    help = "Verify the hash-chained audit log, or emit a signed checkpoint of its head."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute the chain; name the first bad entry")
        verify.add_argument("--from-checkpoint", metavar="FILE", help="a saved checkpoint")
        checkpoint = sub.add_parser(
            "checkpoint", help="publish a signed head to the witness folder and print it"
        )
        checkpoint.add_argument("--out", metavar="FILE", help="also write it to FILE")

    def handle(self, *args, action: str, **options) -> None:
        if action == "checkpoint":
            text = json.dumps(witness_publish(), indent=2)
            if options.get("out"):
                Path(options["out"]).write_text(text + "\n")
            self.stdout.write(text)
            return
        checkpoints: list[tuple[str, dict | None]] = []
        if options.get("from_checkpoint"):
            try:
                saved = json.loads(Path(options["from_checkpoint"]).read_text())
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read the checkpoint: {exc}") from exc
            checkpoints.append(("the saved checkpoint", saved))
        witnessed = witness_latest()
        if witnessed is not None:
            checkpoints.append((f"the witness checkpoint #{witnessed.get('seq')}", witnessed))
        verdict = audit_verify()
        if not verdict.ok:
            raise CommandError(verdict.message())
        for name, checkpoint in checkpoints:
            verdict = audit_verify(checkpoint=checkpoint)
            if not verdict.ok:
                raise CommandError(f"{verdict.message()} (against {name})")
        self.stdout.write(verdict.message())
        if witnessed is None:
            self.stdout.write("No witness checkpoint yet: run `clipdeck audit checkpoint`.")
        else:
            self.stdout.write(f"Matches the witness checkpoint #{witnessed.get('seq')}.")
