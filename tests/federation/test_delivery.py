"""Delivery: address rules, signatures on the wire, retries, and dead servers kept apart."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from clipdeck.federation import delivery, signatures
from clipdeck.federation.models import Delivery, DeliveryStatus, Destination
from clipdeck.federation.transport import TransportError, check_destination
from tests.live_server import free_port

pytestmark = pytest.mark.django_db


class Inbox(http.server.BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        headers = {name.lower(): value for name, value in self.headers.items()}
        Inbox.received.append({"headers": headers, "body": json.loads(body)})
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def inbox_server(settings) -> Iterator[str]:
    settings.CLIPDECK_FEDERATION_ALLOW_LOOPBACK = True
    settings.CLIPDECK_FEDERATION_TIMEOUT_SECONDS = 2
    Inbox.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Inbox)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/inbox"
    server.shutdown()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/inbox",
        "https://127.0.0.1/inbox",
        "https://10.0.0.1/x",
        "https://[::1]/x",
        "https://169.254.169.254/latest",
        "https://[::ffff:127.0.0.1]/x",
        "ftp://example.com/x",
    ],
)
def test_private_addresses_and_plain_http_are_refused_by_default(settings, url):
    settings.CLIPDECK_FEDERATION_ALLOW_LOOPBACK = False

    with pytest.raises(TransportError):
        check_destination(url)


def test_the_test_setting_allows_http_on_loopback(settings):
    settings.CLIPDECK_FEDERATION_ALLOW_LOOPBACK = True

    assert check_destination("http://127.0.0.1:9/inbox").address == "127.0.0.1"


def test_a_delivery_is_signed_with_the_authors_key_and_a_digest(alice, inbox_server):
    (row,) = delivery.deliver({"type": "Like", "actor": "me"}, signer=alice, inboxes=[inbox_server])

    assert delivery.attempt(row.pk) == "done"

    (received,) = Inbox.received
    parsed = signatures.parse(received["headers"]["signature"])
    assert parsed.key_id == f"http://testserver/ap/users/{alice.pk}#main-key"
    assert set(parsed.headers) >= {"(request-target)", "host", "date", "digest"}
    assert received["headers"]["digest"] == signatures.digest_of(
        json.dumps(received["body"]).encode()
    )
    headers = received["headers"]
    assert signatures.verify(
        parsed, method="POST", path="/inbox", headers=headers, public_pem=alice.actor_key.public_pem
    )
    assert Delivery.objects.get().status == DeliveryStatus.DONE


def test_a_dead_server_is_retried_with_backoff_and_never_holds_up_another(
    alice, inbox_server, settings
):
    dead = f"http://localhost:{free_port()}/inbox"  # nothing listens there
    rows = [
        delivery.deliver({"type": "Like", "n": n}, signer=alice, inboxes=[dead])[0]
        for n in range(4)
    ]
    good = delivery.deliver({"type": "Like", "n": "good"}, signer=alice, inboxes=[inbox_server])[0]

    outcomes = [delivery.attempt(row.pk) for row in rows[:3]]
    waited = delivery.attempt(rows[3].pk)

    assert outcomes == ["retry", "retry", "retry"]
    assert waited == "waiting"  # the server is marked unavailable: no connection tried
    assert Delivery.objects.get(pk=rows[3].pk).attempts == 0
    assert Destination.objects.get(domain="localhost").retry_after > timezone.now()
    first = Delivery.objects.get(pk=rows[0].pk)
    assert first.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert "could not be reached" in first.last_error
    assert delivery.attempt(good.pk) == "done"
    assert [r["body"]["n"] for r in Inbox.received] == ["good"]


def test_a_refusing_inbox_is_not_retried(alice, settings):
    settings.CLIPDECK_FEDERATION_ALLOW_LOOPBACK = True

    class Refuse(Inbox):
        def do_POST(self):
            self.send_response(403)
            self.end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (row,) = delivery.deliver(
            {"type": "Like"}, signer=alice, inboxes=[f"http://127.0.0.1:{server.server_port}/inbox"]
        )
        assert delivery.attempt(row.pk) == "failed"
    finally:
        server.shutdown()
    assert Delivery.objects.get().status == DeliveryStatus.FAILED


def test_backoff_grows_and_is_capped():
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 120, 480]
    assert delivery.backoff(30) == timedelta(hours=6)
