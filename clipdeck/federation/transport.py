"""Every HTTP request federation makes to another server goes through this module.

Two functions, :func:`signed_get` and :func:`signed_post`, both signed with an
actor's key (HTTP Signatures). Before connecting, the destination is checked
with the same address rules as the catalog import: https only, the host name
resolved once, every address public (no loopback, private, link-local or
reserved ranges), and the connection made to the address that was checked. The
development and test setting ``CLIPDECK_FEDERATION_ALLOW_LOOPBACK`` allows
``http://`` and loopback or private addresses; nothing else does. Redirects are
not followed; bodies are capped in size and the whole exchange in time.

This is the one place to point at the cell's egress client.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from clipdeck.federation import keys, signatures
from clipdeck.federation.uris import key_id_of
from clipdeck.shop.importers.fetch import is_public

ACTIVITY_JSON = "application/activity+json"
ACCEPT = f'{ACTIVITY_JSON}, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
USER_AGENT = "Clipdeck (ActivityPub)"


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


def check_destination(url: str) -> Destination:
    """Where ``url`` leads, after the address rules; TransportError when refused."""
    parts = urlsplit(url or "")
    schemes = {"https", "http"} if allow_loopback() else {"https"}
    if parts.scheme not in schemes or not parts.hostname:
        raise TransportError("only secure (https://) servers can be reached")
    secure = parts.scheme == "https"
    try:
        port = parts.port or (443 if secure else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (ValueError, socket.gaierror, UnicodeError):
        raise TransportError(f"the server {parts.hostname} could not be found") from None
    addresses = [info[4][0] for info in infos]
    if not allow_loopback() and not all(is_public(address) for address in addresses):
        raise TransportError("only public servers can be reached, not private or local addresses")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(secure, parts.hostname, port, addresses[0], path)


def _connect(dest: Destination, timeout: float) -> http.client.HTTPConnection:
    sock = socket.create_connection((dest.address, dest.port), timeout)
    if dest.secure:
        sock = ssl.create_default_context().wrap_socket(sock, server_hostname=dest.host)
    connection = http.client.HTTPConnection(dest.host, dest.port, timeout=timeout)
    connection.sock = sock
    return connection


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
    dest = check_destination(url)
    timeout = timeout_seconds()
    deadline = time.monotonic() + timeout
    headers = _signed_headers(dest, method, signer, body)
    headers.update({"accept": ACCEPT, "user-agent": USER_AGENT})
    try:
        connection = _connect(dest, timeout)
    except OSError as exc:
        raise TransportError(f"{dest.host} could not be reached ({exc}).") from None
    try:
        connection.request(method, dest.path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, _read_capped(response, connection.sock, limit, deadline)
    except (OSError, http.client.HTTPException) as exc:
        raise TransportError(f"{dest.host} failed to answer ({exc}).") from None
    finally:
        connection.close()


def _read_capped(response, sock, limit: int, deadline: float) -> bytes:
    body = bytearray()
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TransportError("The remote server took too long to answer.")
        if sock is not None:
            sock.settimeout(left)
        chunk = response.read1(64 * 1024)
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > limit:
            raise TransportError(f"The answer is larger than {limit:,} bytes.")


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
