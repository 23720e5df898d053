"""Operator actions on remote domains: block, limit, lift."""

from __future__ import annotations

from django.db import transaction

from clipdeck.accounts.models import Follow
from clipdeck.federation.models import Delivery, DeliveryStatus, DomainPolicy, RemoteActor
from clipdeck.kernel.errors import InvalidInput

DOMAIN_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789.-")


def _clean(domain: str) -> str:
    domain = (domain or "").strip().lower().rstrip(".")
    dotted = "." in domain or domain == "localhost"
    if not domain or not set(domain) <= DOMAIN_CHARS or not dotted:
        raise InvalidInput(
            f"{domain!r} is not a domain name.", code="invalid_domain", field="domain"
        )
    return domain


@transaction.atomic
def domain_policy_set(*, domain: str, action: str, reason: str = "") -> DomainPolicy:
    """Block or limit ``domain`` (and its subdomains).

    A block also cuts every follow between this cell and the domain and
    abandons the deliveries waiting for it.
    """
    domain = _clean(domain)
    if action not in DomainPolicy.Action.values:
        raise InvalidInput("The action is block or limit.", code="invalid_action", field="action")
    policy, _ = DomainPolicy.objects.update_or_create(
        domain=domain, defaults={"action": action, "reason": reason[:300]}
    )
    if action == DomainPolicy.Action.BLOCK:
        actors = RemoteActor.objects.filter(domain__in=[domain]) | RemoteActor.objects.filter(
            domain__endswith=f".{domain}"
        )
        users = actors.values("user")
        Follow.objects.filter(follower__in=users)._raw_delete(Follow.objects.db)
        Follow.objects.filter(followee__in=users)._raw_delete(Follow.objects.db)
        Delivery.objects.filter(domain=domain, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED, last_error="The domain was blocked."
        )
    return policy


def domain_policy_lift(*, domain: str) -> int:
    """Remove the rule for ``domain``; how many were removed."""
    deleted, _ = DomainPolicy.objects.filter(domain=_clean(domain)).delete()
    return deleted
