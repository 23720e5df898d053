"""Every HTTP request federation makes to another server goes through this module.

Two functions, :func:`signed_get` and :func:`signed_post`, both signed with an
actor's key (HTTP Signatures) and both sent by the cell's egress client
(``clipdeck.kernel.egress``): its destination policy (every resolved address
public, the connection made to the address that was checked, deny and allow
lists), its limits and its audit entry apply to federation as to every other
request that leaves the cell. Federation adds one rule of its own: https only.
The development and test setting ``CLIPDECK_FEDERATION_ALLOW_LOOPBACK`` allows
``http://`` and loopback addresses; nothing else does. Redirects are not
followed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from clipdeck.federation import keys, signatures
from clipdeck.federation.uris import key_id_of
from clipdeck.kernel import egress

ACTIVITY_JSON = "application/activity+json"
ACCEPT = f'{ACTIVITY_JSON}, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


class TransportError(Exception):
    """The request could not be made or the answer was refused; ``status`` if one came."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Destination:
    secure: bool
    host: str
    port: int
    address: str
    path: str

    @property
    def host_header(self) -> str:
        default = 443 if self.secure else 80
        return self.host if self.port == default else f"{self.host}:{self.port}"


def allow_loopback() -> bool:
    return bool(getattr(settings, "CLIPDECK_FEDERATION_ALLOW_LOOPBACK", False))


def timeout_seconds() -> float:
    return float(getattr(settings, "CLIPDECK_FEDERATION_TIMEOUT_SECONDS", 10))


def check_destination(url: str, carries: egress.Carries = egress.Carries.NONE) -> Destination:
    """Where ``url`` leads, after federation's rule and the egress policy.

    Raises TransportError when either refuses it.
    """
    parts = urlsplit(url or "")
    schemes = {"https", "http"} if allow_loopback() else {"https"}
    if parts.scheme not in schemes or not parts.hostname:
        raise TransportError("only secure (https://) servers can be reached")
    try:
        host, port, address = egress.check_destination(url, carries, loopback=allow_loopback())
    except (egress.EgressRefused, egress.EgressFailed) as exc:
        raise TransportError(exc.message) from None
    if not allow_loopback() and not egress.is_public(address):
        # The cell may let its other requests reach loopback (a developer's machine);
        # federation keeps to public servers unless its own test setting says otherwise.
        raise TransportError("only public servers can be reached, not private or local addresses")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(parts.scheme == "https", host, port, address, path)


def _signed_headers(dest: Destination, method: str, signer, body: bytes | None) -> dict:
    headers = {"host": dest.host_header, "date": signatures.http_date()}
    if body is not None:
        headers["digest"] = signatures.digest_of(body)
        headers["content-type"] = ACTIVITY_JSON
    key = keys.key_for(signer)
    headers["signature"] = signatures.sign(
        method=method,
        path=dest.path,
        headers=headers,
        key_id=key_id_of(signer),
        private_pem=keys.private_pem_of(key),
    )
    return headers


def _exchange(url: str, method: str, signer, body: bytes | None, limit: int) -> tuple[int, bytes]:
    # An activity is what users published for everyone (public videos, likes, follows
    # they asked for); a GET sends nothing but the signature.
    carries = egress.Carries.PUBLIC if body is not None else egress.Carries.NONE
    dest = check_destination(url, carries)
    headers = _signed_headers(dest, method, signer, body)
    headers["accept"] = ACCEPT
    try:
        response = egress.fetch(
            url,
            purpose=f"federation {method}",
            carries=carries,
            method=method,
            body=body or b"",
            headers=headers,
            max_bytes=limit,
            timeout=timeout_seconds(),
            loopback=allow_loopback(),
        )
    except egress.EgressRefused as exc:
        raise TransportError(exc.message) from None
    except egress.EgressFailed as exc:
        raise TransportError(f"{dest.host}: {exc.message}") from None
    return response.status, response.body


def signed_get(url: str, *, signer=None, limit: int = 1_000_000) -> bytes:
    """The body at ``url``, fetched with a signature of ``signer`` (None: the instance actor)."""
    status, body = _exchange(url, "GET", signer, None, limit)
    if status != 200:
        raise TransportError(f"{url} answered {status}.", status)
    return body


def signed_get_json(url: str, *, signer=None) -> dict:
    """The JSON object at ``url`` (an actor, an object, a collection)."""
    try:
        document = json.loads(signed_get(url, signer=signer))
    except ValueError:
        raise TransportError(f"{url} did not answer with JSON.") from None
    if not isinstance(document, dict):
        raise TransportError(f"{url} did not answer with a JSON object.")
    return document


def signed_post(url: str, activity: dict, *, signer) -> int:
    """Deliver ``activity`` to the inbox at ``url``; its status (2xx), else TransportError."""
    body = json.dumps(activity).encode()
    status, _ = _exchange(url, "POST", signer, body, 100_000)
    if not 200 <= status < 300:
        raise TransportError(f"{url} answered {status}.", status)
    return status
