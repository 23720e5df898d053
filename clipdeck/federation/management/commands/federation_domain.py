"""``clipdeck manage federation_domain block|limit|lift|list [domain] [--reason …]``."""

from django.core.management.base import BaseCommand, CommandError

from clipdeck.federation.models import DomainPolicy
from clipdeck.federation.services import domain_policy_lift, domain_policy_set
from clipdeck.kernel.errors import DomainError


class Command(BaseCommand):
    help = "Block or limit a remote domain, lift its rule, or list the rules."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["block", "limit", "lift", "list"])
        parser.add_argument("domain", nargs="?", default="")
        parser.add_argument("--reason", default="")

    def handle(self, *args, action: str, domain: str, reason: str, **options):
        if action == "list":
            for policy in DomainPolicy.objects.order_by("domain"):
                self.stdout.write(f"{policy.action}\t{policy.domain}\t{policy.reason}")
            return
        try:
            if action == "lift":
                removed = domain_policy_lift(domain=domain)
                self.stdout.write(f"lifted {removed} rule(s) for {domain}")
            else:
                policy = domain_policy_set(domain=domain, action=action, reason=reason)
                self.stdout.write(f"{policy.action}ed {policy.domain}")
        except DomainError as exc:
            raise CommandError(exc.message) from None
