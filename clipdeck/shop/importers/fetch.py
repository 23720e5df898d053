"""Fetching a catalog from a URL without letting the server be used against its own network.

Only http(s); the host name is resolved once and every address must be public
(no loopback, private, link-local or reserved ranges) unless the operator sets
``CLIPDECK_SHOP_IMPORT_ALLOW_PRIVATE_URLS`` (tests do); the connection goes to the
address that was checked, so a second DNS answer cannot swap it; redirects are
not followed; the body is capped in size and the whole fetch in time.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urlsplit

from django.conf import settings

from clipdeck.kernel.errors import InvalidInput

DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_TIMEOUT_SECONDS = 10


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, code="bad_catalog_url", field="url")


def _public_address(host: str, port: int) -> str:
    """One resolved address of ``host``, after checking that all of them may be fetched."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise _refuse(f"The address {host!r} could not be found.") from None
    addresses = [info[4][0] for info in infos]
    allow_private = getattr(settings, "CLIPDECK_SHOP_IMPORT_ALLOW_PRIVATE_URLS", False)
    for address in addresses:
        if not allow_private and not ipaddress.ip_address(address.split("%")[0]).is_global:
            raise _refuse("Catalog URLs must point to a public web server.")
    return addresses[0]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the certificate checked for the host name."""

    def __init__(self, host: str, address: str, **kwargs):
        super().__init__(host, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, **kwargs):
        super().__init__(host, **kwargs)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


def fetch_catalog(url: str) -> bytes:
    """The body at ``url``, within the size and time limits, or a clear error."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise _refuse("Give a full http:// or https:// address.")
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    timeout = getattr(settings, "CLIPDECK_SHOP_IMPORT_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
    limit = getattr(settings, "CLIPDECK_SHOP_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    address = _public_address(parts.hostname, port)
    kind = _PinnedHTTPSConnection if secure else _PinnedHTTPConnection
    connection = kind(parts.hostname, address, port=port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", path, headers={"User-Agent": "Clipdeck catalog import"})
        response = connection.getresponse()
        if response.status != 200:
            raise _refuse(f"The server answered {response.status} instead of the catalog.")
        return _read_capped(response, limit, deadline=time.monotonic() + timeout)
    except (OSError, http.client.HTTPException) as exc:
        raise _refuse(f"The catalog could not be downloaded ({exc}).") from None
    finally:
        connection.close()


def _read_capped(response: http.client.HTTPResponse, limit: int, *, deadline: float) -> bytes:
    body = bytearray()
    while chunk := response.read(64 * 1024):
        body += chunk
        if len(body) > limit:
            raise _refuse(f"The catalog is larger than {limit:,} bytes.")
        if time.monotonic() > deadline:
            raise _refuse("The catalog took too long to download.")
    return bytes(body)
