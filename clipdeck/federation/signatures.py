"""HTTP Signatures as Mastodon, Loops and PeerTube use them (draft-cavage, rsa-sha256).

Outgoing requests sign ``(request-target) host date`` plus ``digest`` (and
``content-type``) on a POST. Incoming ones must sign at least
``(request-target) host date`` (and ``digest`` when they carry a body), with a
``Date`` inside the replay window and a ``Digest`` that matches the body.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# Mastodon accepts a Date up to 12 hours old and 1 hour ahead.
MAX_AGE = timedelta(hours=12)
MAX_SKEW = timedelta(hours=1)
_PARAM = re.compile(r'(\w+)="([^"]*)"')


class SignatureError(Exception):
    """The request is unsigned or its signature does not hold."""


@dataclass(frozen=True)
class ParsedSignature:
    key_id: str
    algorithm: str
    headers: tuple[str, ...]
    signature: bytes


def digest_of(body: bytes) -> str:
    """The ``Digest`` header value of ``body``."""
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(now: datetime | None = None) -> str:
    return format_datetime(now or datetime.now(UTC), usegmt=True)


def _signing_string(names, method: str, path: str, headers: dict[str, str]) -> str:
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {path}")
        elif name in headers:
            lines.append(f"{name}: {headers[name]}")
        else:
            raise SignatureError(f"The signed header {name!r} is missing.")
    return "\n".join(lines)


def sign(*, method: str, path: str, headers: dict[str, str], key_id: str, private_pem: str) -> str:
    """The ``Signature`` header for a request whose lower-cased ``headers`` are given."""
    names = ["(request-target)", "host", "date"]
    names += [name for name in ("digest", "content-type") if name in headers]
    private = serialization.load_pem_private_key(private_pem.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    text = _signing_string(names, method, path, headers).encode()
    signature = base64.b64encode(private.sign(text, padding.PKCS1v15(), hashes.SHA256())).decode()
    return (
        f'keyId="{key_id}",algorithm="rsa-sha256",'
        f'headers="{" ".join(names)}",signature="{signature}"'
    )


def parse(header: str) -> ParsedSignature:
    """The parts of a ``Signature`` header; SignatureError when it is malformed."""
    params = dict(_PARAM.findall(header or ""))
    if "keyId" not in params or "signature" not in params:
        raise SignatureError("The request carries no valid Signature header.")
    algorithm = params.get("algorithm", "hs2019").lower()
    if algorithm not in {"rsa-sha256", "hs2019"}:
        raise SignatureError(f"The signature algorithm {algorithm!r} is not supported.")
    names = tuple(params.get("headers", "date").lower().split())
    try:
        raw = base64.b64decode(params["signature"], validate=True)
    except ValueError:
        raise SignatureError("The signature is not base64.") from None
    return ParsedSignature(params["keyId"], algorithm, names, raw)


def check_freshness(headers: dict[str, str], now: datetime | None = None) -> None:
    """Refuse a request whose ``Date`` is missing or outside the replay window."""
    try:
        sent = parsedate_to_datetime(headers.get("date", ""))
    except (TypeError, ValueError):
        raise SignatureError("The request has no valid Date header.") from None
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    if sent < now - MAX_AGE or sent > now + MAX_SKEW:
        raise SignatureError("The request's Date is outside the accepted window.")


def check_covers(parsed: ParsedSignature, *, has_body: bool) -> None:
    """The signature must cover the target, the host, the date, and a body's digest."""
    needed = {"(request-target)", "host", "date"} | ({"digest"} if has_body else set())
    missing = needed - set(parsed.headers)
    if missing:
        raise SignatureError(f"The signature does not cover {', '.join(sorted(missing))}.")


def check_digest(headers: dict[str, str], body: bytes) -> None:
    """The ``Digest`` header must name the SHA-256 of the body."""
    given = headers.get("digest", "")
    for part in given.split(","):
        algorithm, _, value = part.strip().partition("=")
        if algorithm.upper() == "SHA-256":
            if f"SHA-256={value}" != digest_of(body):
                raise SignatureError("The Digest does not match the body.")
            return
    raise SignatureError("The request has no SHA-256 Digest.")


def verify(
    parsed: ParsedSignature, *, method: str, path: str, headers: dict[str, str], public_pem: str
) -> bool:
    """Whether ``parsed`` is a valid signature of the request by ``public_pem``."""
    try:
        public = serialization.load_pem_public_key(public_pem.encode())
    except ValueError:
        return False
    if not isinstance(public, rsa.RSAPublicKey):
        return False
    text = _signing_string(parsed.headers, method, path, headers).encode()
    try:
        public.verify(parsed.signature, text, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True
