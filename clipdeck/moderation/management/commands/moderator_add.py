"""``clipdeck manage moderator_add HANDLE [--email E --password P]``: a moderator account.

Makes the account if it does not exist, gives it the moderator role and turns
on two-factor sign-in, then prints the authenticator secret and the recovery
codes once.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from clipdeck.accounts.models import User
from clipdeck.accounts.services import user_create
from clipdeck.kernel.errors import DomainError
from clipdeck.moderation.services import moderator_enrol


class Command(BaseCommand):
    help = "Make a moderator (staff in the moderator group, two-factor sign-in on)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("handle")
        parser.add_argument("--email", help="for a new account")
        parser.add_argument("--password", help="for a new account")

    def handle(self, *args, handle: str, email: str | None, password: str | None, **options):
        user = User.objects.filter(handle__iexact=handle).first()
        try:
            if user is None:
                if not (email and password):
                    raise CommandError("A new account needs --email and --password.")
                user = user_create(handle=handle, email=email, password=password)
            secret, uri, codes = moderator_enrol(user=user)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"moderator @{user.handle}\n2FA secret: {secret}\n{uri}\n")
        self.stdout.write("recovery codes: " + " ".join(codes) + "\n")
