"""The catalog URL fetch: a total deadline against drip-feeding servers, and no
address that only looks public (IPv6 forms that embed a private IPv4 address)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from clipdeck.kernel import egress
from clipdeck.kernel.errors import InvalidInput
from clipdeck.shop.importers import fetch

pytestmark = pytest.mark.django_db


class Dripping(BaseHTTPRequestHandler):
    """Headers at once, then the body one byte every 0.3 s."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        try:
            for _ in range(1000):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.3)
        except OSError:
            pass

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def dripping_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Dripping)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/products.json"
    server.shutdown()
    server.server_close()


def test_a_server_dripping_bytes_is_cut_off_at_the_deadline(dripping_server, settings):
    settings.CLIPDECK_EGRESS_ALLOW_LOOPBACK = True
    settings.CLIPDECK_SHOP_IMPORT_TIMEOUT_SECONDS = 1.5

    started = time.monotonic()
    with pytest.raises(InvalidInput, match="took too long"):
        fetch.fetch_catalog(dripping_server)

    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "64:ff9b:1::a9fe:a9fe",  # local-use NAT64 of 169.254.169.254
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "::127.0.0.1",  # IPv4-compatible
        "::a9fe:a9fe",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:10.1.2.3",
        "127.0.0.1",
        "::1",
        "fe80::1",
        "10.0.0.1",
        "not an address",
    ],
)
def test_addresses_that_embed_a_private_ipv4_address_are_refused(address):
    assert not egress.is_public(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::6810:84e5", "::ffff:1.1.1.1"])
def test_public_addresses_are_allowed(address):
    assert egress.is_public(address)


def test_a_host_resolving_to_nat64_loopback_is_refused(monkeypatch, settings):
    settings.CLIPDECK_EGRESS_ALLOW_HOSTS = []

    def resolve(host, port, **kwargs):
        return [(None, None, None, "", ("64:ff9b::7f00:1", port, 0, 0))]

    monkeypatch.setattr(egress.socket, "getaddrinfo", resolve)

    with pytest.raises(InvalidInput, match="public web server"):
        fetch.fetch_catalog("http://shop.example/products.json")
