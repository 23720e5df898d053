"""What may cross the wire, and which remote domains an operator blocked or limited.

F1. Only a published, public, rendered video of a public, active, local
    account leaves the cell (``may_federate``): it is the visibility rule V6 ("everyone may see
    it"), so a followers-only or private video, a draft, a withheld remix, or
    any video of a private account never does.
F2. Nothing is sent to, fetched from or accepted from a blocked domain.
F3. A limited domain's accounts must ask before following (as if every local
    account were private to them), and its videos are stored for their
    followers only, so they stay out of For You, search and profiles.
"""

from __future__ import annotations

from clipdeck.federation.models import DomainPolicy
from clipdeck.videos.models import Video
from clipdeck.videos.visibility import is_public


def is_local_account(user) -> bool:
    return user is not None and not hasattr(user, "remote_actor")


def account_federates(user) -> bool:
    """A local, active, public account: its actor and public videos may leave."""
    return is_local_account(user) and user.is_active and not user.is_private


def may_federate(video: Video) -> bool:
    """Rule F1: whether ``video`` may be sent to other servers."""
    return bool(video.mp4) and account_federates(video.author) and is_public(video)


def _rule(domain: str) -> str | None:
    domain = (domain or "").lower()
    parts = domain.split(".")
    # A rule for example.com also covers its subdomains.
    candidates = [".".join(parts[i:]) for i in range(len(parts))]
    rules = dict(DomainPolicy.objects.filter(domain__in=candidates).values_list("domain", "action"))
    for candidate in candidates:
        if candidate in rules:
            return rules[candidate]
    return None


def is_blocked(domain: str) -> bool:
    """Rule F2."""
    return _rule(domain) == DomainPolicy.Action.BLOCK


def is_limited(domain: str) -> bool:
    """Rule F3."""
    return _rule(domain) == DomainPolicy.Action.LIMIT
