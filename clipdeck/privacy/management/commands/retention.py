"""``clipdeck retention run``: delete what is past its retention, now."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from clipdeck.privacy.retention import run


class Command(BaseCommand):
    help = "Delete expired feed events, exports, sessions, idle API tokens and cache entries."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("run", help="run every retention job once")

    def handle(self, *args, **options) -> None:
        for kind, count in run().items():
            self.stdout.write(f"{kind}: {count} deleted")
