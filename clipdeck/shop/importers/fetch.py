"""Fetching a catalog from a URL without letting the server be used against its own network.

Only http(s); the host name is resolved once and every address must be public
(no loopback, private, link-local or reserved ranges) unless the operator sets
``CLIPDECK_SHOP_IMPORT_ALLOW_PRIVATE_URLS`` (tests do); the connection goes to the
address that was checked, so a second DNS answer cannot swap it; redirects are
not followed; the body is capped in size and the whole fetch in time: one
deadline covers connecting, the headers and the body, and every socket wait is
shortened to the time left, so a server dripping a byte at a time cannot hold
the fetch past it.

"Public" is stricter than ``ipaddress``'s ``is_global``: an IPv6 address that
embeds an IPv4 one (IPv4-mapped ``::ffff:0:0/96``, IPv4-compatible ``::/96``,
6to4 ``2002::/16``, NAT64 ``64:ff9b::/96`` and ``64:ff9b:1::/48``) is public
only when the IPv4 address inside is.
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


NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4, NAT64)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in NAT64) or address in IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(text: str) -> bool:
    """Whether the address (IPv4 or IPv6 text) may be fetched from."""
    try:
        address = ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return embedded.is_global and not embedded.is_multicast
    return address.is_global and not address.is_multicast


def _public_address(host: str, port: int) -> str:
    """One resolved address of ``host``, after checking that all of them may be fetched."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise _refuse(f"The address {host!r} could not be found.") from None
    addresses = [info[4][0] for info in infos]
    allow_private = getattr(settings, "CLIPDECK_SHOP_IMPORT_ALLOW_PRIVATE_URLS", False)
    for address in addresses:
        if not allow_private and not is_public(address):
            raise _refuse("Catalog URLs must point to a public web server.")
    return addresses[0]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the certificate checked for the host name."""

    def __init__(self, host: str, address: str, **kwargs):
        super().__init__(host, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        sock.settimeout(self.timeout)
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
    try:
        port = parts.port or (443 if secure else 80)
    except ValueError:
        raise _refuse("Give a full http:// or https:// address.") from None
    timeout = getattr(settings, "CLIPDECK_SHOP_IMPORT_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
    limit = getattr(settings, "CLIPDECK_SHOP_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    deadline = time.monotonic() + timeout
    address = _public_address(parts.hostname, port)
    kind = _PinnedHTTPSConnection if secure else _PinnedHTTPConnection
    connection = kind(parts.hostname, address, port=port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", path, headers={"User-Agent": "Clipdeck catalog import"})
        _shorten_timeout(connection.sock, deadline)
        response = connection.getresponse()
        if response.status != 200:
            raise _refuse(f"The server answered {response.status} instead of the catalog.")
        return read_capped(response, limit, deadline=deadline, sock=connection.sock)
    except TimeoutError:
        raise _too_slow() from None
    except (OSError, http.client.HTTPException) as exc:
        raise _refuse(f"The catalog could not be downloaded ({exc}).") from None
    finally:
        connection.close()


def _too_slow() -> InvalidInput:
    return _refuse("The catalog took too long to download.")


def _shorten_timeout(sock: socket.socket | None, deadline: float) -> None:
    """Let the next socket wait last no longer than the time left before ``deadline``."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise _too_slow()
    if sock is not None:
        sock.settimeout(left)


def read_capped(
    response: http.client.HTTPResponse,
    limit: int,
    *,
    deadline: float,
    sock: socket.socket | None = None,
) -> bytes:
    """The response body, at most ``limit`` bytes, read before ``deadline``.

    Each read takes what has arrived (``read1``) and each wait on the socket is
    shortened to the time left, so the deadline holds however slowly the bytes come.
    """
    body = bytearray()
    while True:
        _shorten_timeout(sock, deadline)
        try:
            chunk = response.read1(64 * 1024)
        except TimeoutError:
            raise _too_slow() from None
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > limit:
            raise _refuse(f"The catalog is larger than {limit:,} bytes.")
