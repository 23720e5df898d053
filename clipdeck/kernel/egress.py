"""The egress client: the one way an HTTP request leaves the cell.

Every outbound request (a catalog fetched from a URL, a product image copied
at import, and later federation and webhooks) goes through :func:`fetch`. A
contract test fails when any other module imports an HTTP library. Each
request is checked against the cell's destination policy before a byte leaves:

* **schemes**: ``http`` and ``https`` only;
* **addresses**: the host name is resolved once and every address must be
  public (no loopback, private, link-local, reserved or multicast range; an
  IPv6 address that embeds an IPv4 one is judged by the IPv4 address). The
  connection goes to the address that was checked, so a second DNS answer
  cannot swap it. ``CLIPDECK_EGRESS_ALLOW_LOOPBACK`` lets loopback through,
  for tests and a developer's own machine only;
* **hosts**: ``CLIPDECK_EGRESS_DENY_HOSTS`` are never reached; when
  ``CLIPDECK_EGRESS_ALLOW_HOSTS`` is set, only those are (a name matches
  itself and its subdomains);
* **data class**: what the request carries is declared — ``none`` (a plain
  GET), ``public`` (what users published for everyone) or ``personal``.
  Personal data leaves only for the hosts in
  ``CLIPDECK_EGRESS_PERSONAL_HOSTS`` (empty by default: never);
* **limits**: the body sent and the body received are capped in bytes; one
  deadline covers connecting, the headers and the body, and every socket wait
  is shortened to the time left, so a server dripping a byte at a time cannot
  hold the request past it;
* **redirects** are followed only when asked (``max_redirects``), and each
  new location passes the whole policy again.

Every request that the policy let through, whatever came of it, appends an
``egress`` entry to the audit chain (role ``system``): the destination host,
the purpose, the data class and the bytes each way. Never the path or query
(they may carry a token), never a body.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from clipdeck.kernel.audit import audit_append

SCHEMES = {"http": 80, "https": 443}
DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_TIMEOUT_SECONDS = 10
REDIRECTS = {301, 302, 303, 307, 308}
ERROR_BODY_BYTES = 16_384
USER_AGENT = "Clipdeck"
EGRESS_ACTION = "egress"
SYSTEM_ROLE = "system"


class Carries(StrEnum):
    """The data class of what a request sends out."""

    NONE = "none"
    PUBLIC = "public"
    PERSONAL = "personal"


class EgressRefused(Exception):
    """The policy refused the request before anything was sent."""

    def __init__(self, message: str, *, code: str = "egress_refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class EgressFailed(Exception):
    """The request was allowed but did not bring back an answer (network, time, size)."""

    def __init__(self, message: str, *, code: str = "egress_failed") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    url: str  # the final URL, after any redirects

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass
class _Tally:
    sent: int = 0
    received: int = 0
    hosts: list[str] = field(default_factory=list)


NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
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


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        return _embedded_ipv4(address) or address
    return address


def is_public(text: str) -> bool:
    """Whether the address (IPv4 or IPv6 text) is on the public internet."""
    address = _address(text)
    return bool(address is not None and address.is_global and not address.is_multicast)


def is_loopback(text: str) -> bool:
    """Whether the address is this machine's own (127.0.0.0/8, ``::1``, or those embedded)."""
    try:
        raw = ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return False
    embedded = _address(text)
    return raw.is_loopback or bool(embedded is not None and embedded.is_loopback)


def _host_matches(host: str, names: list[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == name or host.endswith("." + name) for name in names if name)


def _names(setting: str) -> list[str]:
    return [str(name).lower().strip().rstrip(".") for name in getattr(settings, setting, [])]


def check_destination(
    url: str, carries: Carries, *, loopback: bool = False
) -> tuple[str, int, str]:
    """``(host, port, address)`` of ``url`` after the whole policy, or EgressRefused.

    ``loopback`` lets a caller's own development setting (the federation's test
    cells) reach loopback, as ``CLIPDECK_EGRESS_ALLOW_LOOPBACK`` does for all.
    """
    parts = urlsplit((url or "").strip())
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise EgressRefused("Give a full http:// or https:// address.", code="bad_scheme")
    if parts.username or parts.password:
        raise EgressRefused("Addresses with a user name or password are not fetched.")
    try:
        port = parts.port or SCHEMES[parts.scheme]
    except ValueError:
        raise EgressRefused("Give a full http:// or https:// address.", code="bad_scheme") from None
    host = parts.hostname.lower()
    if _host_matches(host, _names("CLIPDECK_EGRESS_DENY_HOSTS")):
        raise EgressRefused(f"This cell does not send requests to {host}.", code="host_denied")
    allowed = _names("CLIPDECK_EGRESS_ALLOW_HOSTS")
    if allowed and not _host_matches(host, allowed):
        raise EgressRefused(f"This cell does not send requests to {host}.", code="host_denied")
    if carries == Carries.PERSONAL and not _host_matches(
        host, _names("CLIPDECK_EGRESS_PERSONAL_HOSTS")
    ):
        raise EgressRefused(
            f"Personal data may not be sent to {host}.", code="personal_data_refused"
        )
    return host, port, _checked_address(host, port, loopback)


def _checked_address(host: str, port: int, loopback: bool = False) -> str:
    """One resolved address of ``host``, after checking that all of them may be reached."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise EgressFailed(f"The address {host!r} could not be found.", code="dns") from None
    addresses = [str(info[4][0]) for info in infos]
    loopback_ok = loopback or getattr(settings, "CLIPDECK_EGRESS_ALLOW_LOOPBACK", False)
    for address in addresses:
        if not (is_public(address) or (loopback_ok and is_loopback(address))):
            raise EgressRefused(
                "Only servers on the public internet can be reached.", code="private_address"
            )
    return addresses[0]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the certificate checked for the host name."""

    def __init__(self, host: str, address: str, **kwargs):
        self.tls = ssl.create_default_context()
        super().__init__(host, context=self.tls, **kwargs)
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        sock.settimeout(self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, **kwargs):
        super().__init__(host, **kwargs)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


def fetch(
    url: str,
    *,
    purpose: str,
    carries: Carries = Carries.NONE,
    method: str = "GET",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    max_redirects: int = 0,
    loopback: bool = False,
) -> Response:
    """Send one request out of the cell under the egress policy, and audit it.

    ``purpose`` says why (a short phrase, in the audit entry); ``carries`` the
    data class of ``body``. The answer's body is capped at ``max_bytes``
    (``CLIPDECK_EGRESS_MAX_BYTES``) and the whole exchange, redirects
    included, at ``timeout`` seconds; ``loopback`` as in
    :func:`check_destination`. Raises :class:`EgressRefused` when the policy
    says no (nothing was sent) and :class:`EgressFailed` when the request went
    out but brought no usable answer. Any status is returned;
    the caller decides what a 404 means.
    """
    limit: int = max_bytes or _setting("CLIPDECK_EGRESS_MAX_BYTES") or DEFAULT_MAX_BYTES
    seconds: float = (
        timeout or _setting("CLIPDECK_EGRESS_TIMEOUT_SECONDS") or DEFAULT_TIMEOUT_SECONDS
    )
    if len(body) > limit:
        raise EgressRefused(f"The request body is larger than {limit:,} bytes.", code="too_large")
    deadline = time.monotonic() + seconds
    tally = _Tally()
    outcome = "refused"
    try:
        response = _follow(
            url,
            method,
            body,
            headers or {},
            carries,
            limit,
            deadline,
            max_redirects,
            tally,
            loopback,
        )
        outcome = str(response.status)
        return response
    except EgressFailed as exc:
        outcome = exc.code
        raise
    finally:
        if tally.hosts:  # something was sent
            _audit(tally, purpose=purpose, carries=carries, method=method, outcome=outcome)


def _setting(name: str) -> int:
    return int(getattr(settings, name, 0) or 0)


def _follow(
    url, method, body, headers, carries, limit, deadline, redirects_left, tally, loopback
) -> Response:
    while True:
        response = _exchange(url, method, body, headers, carries, limit, deadline, tally, loopback)
        location = response.header("location")
        if response.status not in REDIRECTS or not location or redirects_left <= 0:
            return response
        redirects_left -= 1
        url = urljoin(url, location)
        if response.status == 303 or method not in ("GET", "HEAD"):
            method, body = "GET", b""  # a redirected request never re-sends its body


def _exchange(url, method, body, headers, carries, limit, deadline, tally, loopback) -> Response:
    host, port, address = check_destination(url, carries, loopback=loopback)
    parts = urlsplit(url.strip())
    kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    left = _time_left(deadline)
    connection = kind(host, address, port=port, timeout=left)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    tally.hosts.append(host)
    try:
        connection.request(
            method, path, body=body or None, headers={"User-Agent": USER_AGENT, **headers}
        )
        tally.sent += len(body)
        _shorten_timeout(connection.sock, deadline)
        answer = connection.getresponse()
        if 200 <= answer.status < 300:
            data = read_capped(answer, limit, deadline=deadline, sock=connection.sock)
        else:  # an error page or a redirect: its body is not the content, keep a little
            data = read_capped(
                answer, ERROR_BODY_BYTES, deadline=deadline, sock=connection.sock, truncate=True
            )
        tally.received += len(data)
        return Response(
            status=answer.status,
            headers={name.lower(): value for name, value in answer.getheaders()},
            body=data,
            url=url,
        )
    except TimeoutError:
        raise _too_slow() from None
    except (OSError, http.client.HTTPException) as exc:
        raise EgressFailed(
            f"{host} could not be reached ({type(exc).__name__}).", code="network"
        ) from None
    finally:
        connection.close()


def _too_slow() -> EgressFailed:
    return EgressFailed("The server took too long to answer.", code="timeout")


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _too_slow()
    return left


def _shorten_timeout(sock: socket.socket | None, deadline: float) -> None:
    """Let the next socket wait last no longer than the time left before ``deadline``."""
    left = _time_left(deadline)
    if sock is not None:
        sock.settimeout(left)


def read_capped(
    response: http.client.HTTPResponse,
    limit: int,
    *,
    deadline: float,
    sock: socket.socket | None = None,
    truncate: bool = False,
) -> bytes:
    """The response body, at most ``limit`` bytes, read before ``deadline``.

    A longer body is an error, or cut at ``limit`` when ``truncate``.

    Each read takes what has arrived (``read1``) and each wait on the socket is
    shortened to the time left, so the deadline holds however slowly the bytes come.
    """
    declared = response.getheader("Content-Length")
    if not truncate and declared and declared.isdigit() and int(declared) > limit:
        raise EgressFailed(f"The answer is larger than {limit:,} bytes.", code="too_large")
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
        if len(body) > limit and truncate:
            return bytes(body[:limit])
        if len(body) > limit:
            raise EgressFailed(f"The answer is larger than {limit:,} bytes.", code="too_large")


def _audit(tally: _Tally, *, purpose: str, carries: Carries, method: str, outcome: str) -> None:
    hosts = " -> ".join(dict.fromkeys(tally.hosts))
    audit_append(
        actor_id=None,
        actor_role=SYSTEM_ROLE,
        action=EGRESS_ACTION,
        subject=f"host:{hosts}"[:120],
        fields=[str(carries)],
        justification=(
            f"{purpose[:200]}; {method} {outcome}; sent {tally.sent} B, received {tally.received} B"
        )[:500],
    )
