"""``clipdeck search rebuild``: fill the search index again from the database."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from clipdeck.search.services import rebuild


class Command(BaseCommand):
    help = "rebuild: empty the search index and fill it again from the database"

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args, **options) -> None:
        total = rebuild()
        self.stdout.write(f"search index rebuilt: {total} documents")
