"""Request bodies are capped before they are read: nobody can make the server spool gigabytes."""

from __future__ import annotations

import asyncio
import json
import socket
from urllib.parse import urlsplit

import pytest
from django.test import override_settings

from clipdeck.accounts.services import token_issue
from clipdeck.runtime.request_limits import RequestBodyLimit
from tests.factories import UserFactory
from tests.live_server import running_clipdeck

THREE_GIB = 3 * 1024**3

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def live_cell(tmp_path_factory):
    with running_clipdeck(tmp_path_factory.mktemp("limits")) as (url, _):
        yield url


def raw_headers_only(url: str, headers: dict[str, str], path: str = "/api/v1/videos") -> bytes:
    """Send a request's headers and no body; what the server answers within 10 s."""
    parts = urlsplit(url)
    lines = [f"POST {path} HTTP/1.1", f"Host: {parts.netloc}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = b""
        try:
            while chunk := sock.recv(65536):  # the server closes after refusing
                answer += chunk
        except TimeoutError:
            pass
        return answer


def test_a_logged_out_3_gib_upload_is_refused_before_its_body_is_sent(live_cell):
    answer = raw_headers_only(
        live_cell,
        {"Content-Type": "multipart/form-data; boundary=x", "Content-Length": str(THREE_GIB)},
    )

    assert answer.startswith(b"HTTP/1.1 401")
    assert b'"code": "not_authenticated"' in answer


def test_a_made_up_bearer_token_does_not_lift_the_cap(live_cell):
    answer = raw_headers_only(
        live_cell,
        {
            "Authorization": "Bearer made-up-token",
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(THREE_GIB),
        },
    )

    assert answer.startswith(b"HTTP/1.1 401")


class Recorder:
    """An ASGI app standing in for Django: records how much of the body it read."""

    def __init__(self) -> None:
        self.read = 0
        self.called = False

    async def __call__(self, scope, receive, send) -> None:
        self.called = True
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            self.read += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def call(app, headers: dict[str, str], chunks: list[bytes]):
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/videos",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    queue = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    sent: list[dict] = []

    async def receive():
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app({**scope}, receive, send))
    return sent


@pytest.mark.django_db(transaction=True)
@override_settings(CLIPDECK_MAX_REQUEST_BYTES=10_000, CLIPDECK_ANONYMOUS_MAX_REQUEST_BYTES=100)
def test_a_signed_in_caller_may_send_up_to_the_total_cap_and_no_further():
    token = token_issue(user=UserFactory())
    inner = Recorder()
    app = RequestBodyLimit(inner)

    fits = call(app, {"Authorization": f"Bearer {token}", "Content-Length": "5000"}, [b"x" * 5000])
    too_big = call(app, {"Authorization": f"Bearer {token}", "Content-Length": "20000"}, [b""])

    assert fits[0]["status"] == 200 and inner.read == 5000
    assert too_big[0]["status"] == 413
    assert json.loads(too_big[1]["body"])["error"]["code"] == "request_too_large"


@pytest.mark.django_db(transaction=True)
@override_settings(CLIPDECK_ANONYMOUS_MAX_REQUEST_BYTES=100)
def test_a_chunked_anonymous_body_is_cut_off_at_the_cap():
    inner = Recorder()

    call(RequestBodyLimit(inner), {"Transfer-Encoding": "chunked"}, [b"x" * 60] * 10)

    assert inner.read <= 120  # stopped at the chunk that crossed the cap


def test_small_anonymous_bodies_pass_untouched():
    inner = Recorder()

    sent = call(RequestBodyLimit(inner), {"Content-Length": "2"}, [b"{}"])

    assert sent[0]["status"] == 200 and inner.read == 2
