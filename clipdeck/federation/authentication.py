"""Checking the HTTP signature of an incoming request, and which remote actor made it."""

from __future__ import annotations

from django.http import HttpRequest

from clipdeck.federation import policies, remote, signatures, uris
from clipdeck.federation.models import RemoteActor
from clipdeck.federation.signatures import SignatureError


def _headers(request: HttpRequest) -> dict[str, str]:
    headers = {name.lower(): value for name, value in request.headers.items()}
    headers.setdefault("host", request.get_host())
    return headers


def signer_of(request: HttpRequest, body: bytes | None = None) -> RemoteActor:
    """The remote actor whose valid signature ``request`` carries; SignatureError otherwise.

    A signature that does not verify against the stored key is checked once
    more against a freshly fetched actor: the remote may have rotated its key.
    """
    header = request.headers.get("Signature")
    if not header:
        raise SignatureError("This endpoint needs an HTTP signature.")
    parsed = signatures.parse(header)
    if policies.is_blocked(uris.domain_of(parsed.key_id)):
        raise PermissionError(f"{uris.domain_of(parsed.key_id)} is blocked on this server.")
    headers = _headers(request)
    signatures.check_covers(parsed, has_body=body is not None)
    signatures.check_freshness(headers)
    if body is not None:
        signatures.check_digest(headers, body)
    try:
        actor = remote.actor_for_key(parsed.key_id)
    except remote.ActorError as exc:
        raise SignatureError(f"The signing actor could not be fetched: {exc}") from None
    target = request.get_full_path()
    check = dict(method=request.method or "GET", path=target, headers=headers)
    if signatures.verify(parsed, public_pem=actor.public_pem, **check):
        return actor
    if remote.may_refresh(actor):
        try:
            actor = remote.actor_for_key(parsed.key_id, refresh=True)
        except remote.ActorError:
            raise SignatureError("The signature does not verify.") from None
        if signatures.verify(parsed, public_pem=actor.public_pem, **check):
            return actor
    raise SignatureError("The signature does not verify.")
