"""The egress client: the destination policy, the data class of what leaves, the
limits, redirects re-checked, and an audit entry for each request that names the
host and never the path, query or body."""

from __future__ import annotations

import ast
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from clipdeck.kernel import egress
from clipdeck.kernel.egress import Carries, EgressFailed, EgressRefused
from clipdeck.kernel.models import AuditEntry

pytestmark = pytest.mark.django_db

SECRET = "tok_do_not_log_3141"


class Handler(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_GET(self) -> None:
        if self.path.startswith("/to-metadata"):
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif self.path.startswith("/to-self"):
            self._redirect("/hello")
        elif self.path.startswith("/big"):
            self._answer(b"x" * 5000)
        else:
            self._answer(b"hello")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        Handler.received.append(self.rfile.read(length))
        self._answer(b"ok")

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def loopback(settings):
    settings.CLIPDECK_EGRESS_ALLOW_LOOPBACK = True
    return settings


def egress_entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="egress").order_by("seq"))


def test_loopback_is_refused_unless_the_test_setting_allows_it_and_nothing_is_audited(server):
    with pytest.raises(EgressRefused) as refused:
        egress.fetch(f"{server}/hello", purpose="test")

    assert refused.value.code == "private_address"
    assert egress_entries() == []


def test_a_request_is_audited_with_host_purpose_class_and_bytes_but_no_path_or_query(
    server, loopback
):
    response = egress.fetch(f"{server}/hello?token={SECRET}", purpose="catalog import")

    assert (response.status, response.body) == (200, b"hello")
    [entry] = egress_entries()
    assert entry.actor_role == "system" and entry.actor_id is None
    assert entry.subject == "host:127.0.0.1"
    assert entry.fields == ["none"]
    assert entry.justification == "catalog import; GET 200; sent 0 B, received 5 B"
    assert SECRET not in str(entry.__dict__) and "/hello" not in str(entry.__dict__)


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.com/x", "gopher://x", "http://", "http://u:p@127.0.0.1/"],
)
def test_only_plain_http_and_https_urls_go_out(url, loopback):
    with pytest.raises(EgressRefused):
        egress.fetch(url, purpose="test")


def test_the_deny_list_wins_and_an_allow_list_limits_the_hosts(server, loopback):
    loopback.CLIPDECK_EGRESS_DENY_HOSTS = ["127.0.0.1"]
    with pytest.raises(EgressRefused) as denied:
        egress.fetch(f"{server}/hello", purpose="test")
    assert denied.value.code == "host_denied"

    loopback.CLIPDECK_EGRESS_DENY_HOSTS = []
    loopback.CLIPDECK_EGRESS_ALLOW_HOSTS = ["partner.example"]
    with pytest.raises(EgressRefused) as not_allowed:
        egress.fetch(f"{server}/hello", purpose="test")
    assert not_allowed.value.code == "host_denied"
    assert egress_entries() == []


def test_personal_data_leaves_only_for_the_hosts_the_operator_named(server, loopback):
    Handler.received.clear()
    with pytest.raises(EgressRefused) as refused:
        egress.fetch(
            f"{server}/hook",
            purpose="webhook",
            method="POST",
            body=b'{"email": "a@example.com"}',
            carries=Carries.PERSONAL,
        )
    assert refused.value.code == "personal_data_refused"
    assert Handler.received == []

    loopback.CLIPDECK_EGRESS_PERSONAL_HOSTS = ["127.0.0.1"]
    response = egress.fetch(
        f"{server}/hook",
        purpose="webhook",
        method="POST",
        body=b'{"email": "a@example.com"}',
        carries=Carries.PERSONAL,
    )
    assert response.body == b"ok"
    [entry] = egress_entries()
    assert entry.fields == ["personal"]
    assert "sent 26 B" in entry.justification
    assert "a@example.com" not in entry.justification


def test_a_redirect_is_followed_only_when_asked_and_each_hop_is_checked_again(server, loopback):
    not_followed = egress.fetch(f"{server}/to-self", purpose="test")
    assert not_followed.status == 302

    followed = egress.fetch(f"{server}/to-self", purpose="test", max_redirects=1)
    assert (followed.status, followed.body) == (200, b"hello")

    loopback.CLIPDECK_EGRESS_ALLOW_HOSTS = []  # only the address rule stands in the way
    with pytest.raises(EgressRefused) as refused:
        egress.fetch(f"{server}/to-metadata", purpose="test", max_redirects=3)
    assert refused.value.code == "private_address"


def test_an_answer_over_the_size_limit_is_cut_off(server, loopback):
    with pytest.raises(EgressFailed) as too_big:
        egress.fetch(f"{server}/big", purpose="test", max_bytes=1000)

    assert too_big.value.code == "too_large"
    assert egress_entries()[-1].justification.startswith("test; GET too_large")


def test_an_unreachable_server_is_a_failure_not_a_crash(loopback):
    with pytest.raises(EgressFailed) as failed:
        egress.fetch("http://127.0.0.1:9/nothing-listens-here", purpose="test")

    assert failed.value.code == "network"


def test_a_request_body_over_the_limit_never_leaves(server, loopback):
    with pytest.raises(EgressRefused):
        egress.fetch(f"{server}/hook", purpose="t", method="POST", body=b"x" * 50, max_bytes=10)


# Modules that open connections on their own; only the egress client may use them.
HTTP_LIBRARIES = {
    "http.client",
    "urllib.request",
    "urllib3",
    "requests",
    "httpx",
    "aiohttp",
    "pycurl",
    "ftplib",
    "smtplib",
    "xmlrpc.client",
    "websockets",
}
SOCKET_CALLS = {"create_connection", "socket", "getaddrinfo", "connect"}
CLIENT = Path("clipdeck/kernel/egress.py")


def _outbound_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_http(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found += [name for name in [node.module, *names] if _is_http(name)]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "socket"
            and node.attr in SOCKET_CALLS
        ):
            found.append(f"socket.{node.attr}")
    return found


def _is_http(name: str) -> bool:
    return any(name == lib or name.startswith(lib + ".") for lib in HTTP_LIBRARIES)


def test_no_module_but_the_egress_client_can_open_an_outbound_connection():
    root = Path(__file__).resolve().parents[2]
    offenders = {
        str(path.relative_to(root)): uses
        for path in (root / "clipdeck").rglob("*.py")
        if path.relative_to(root) != CLIENT and (uses := _outbound_uses(path))
    }

    assert offenders == {}
    assert _outbound_uses(root / CLIENT)  # the check sees what the client itself uses
