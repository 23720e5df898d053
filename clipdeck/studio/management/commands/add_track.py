"""``clipdeck manage add_track FILE --title … --artist … --genre … --licence …``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from clipdeck.kernel.errors import DomainError
from clipdeck.studio.music_library import add_track


class Command(BaseCommand):
    help = "Add a licensed music track to the library creators pick from."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="an audio file (AAC, MP3, Opus, Vorbis, FLAC or WAV)")
        parser.add_argument("--title", required=True)
        parser.add_argument("--artist", required=True)
        parser.add_argument("--genre", required=True, help="e.g. lofi, pop, ambient")
        parser.add_argument(
            "--licence", required=True, help="under which licence creators may use it"
        )

    def handle(self, *args, **options) -> None:
        try:
            sound = add_track(
                options["file"],
                title=options["title"],
                artist=options["artist"],
                genre=options["genre"],
                licence=options["licence"],
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"added sound {sound.pk}: {sound.title} – {sound.artist} ({sound.genre})")
