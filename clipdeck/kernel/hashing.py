"""Keyed hashes for data we must match but should not keep in the clear.

Blind indexes let the database answer "is this email taken?" without the email
being readable from the index; network hashes let rate limits count failures
without storing IP addresses.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from django.conf import settings


def _key(purpose: str) -> bytes:
    return hashlib.sha256(f"clipdeck:{purpose}:{settings.SECRET_KEY}".encode()).digest()


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` under a key derived for ``purpose``."""
    return hmac.new(_key(purpose), value.encode(), hashlib.sha256).hexdigest()


def email_index(email: str) -> str:
    """The blind index of an email address (case-insensitive)."""
    return keyed_hash("email-index", email.strip().lower())


def network_hash(ip: str | None) -> str:
    """A keyed hash of the caller's network: IPv4 /24 or IPv6 /48, never the address."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return keyed_hash("network", "unknown")
    prefix = 24 if address.version == 4 else 48
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    return keyed_hash("network", str(network))
