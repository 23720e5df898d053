"""The transparency report counts staff accesses, erasures and exports of the last 30 days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from clipdeck.kernel import audit_guard
from clipdeck.kernel.audit import audit_append, witness_publish
from clipdeck.kernel.models import AuditEntry
from clipdeck.privacy.erasure import account_erase
from clipdeck.privacy.export import export_request
from clipdeck.privacy.transparency import transparency_report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def staff_access(role: str, action: str, *, days_ago: int = 0) -> None:
    entry = audit_append(
        actor_id=1,
        actor_role=role,
        action=action,
        subject="accounts.User:7",
        fields=["email"],
        justification="Support ticket about a locked account",
    )
    if days_ago:  # backdating needs the append-only triggers lifted
        with audit_guard.lifted(connection):
            AuditEntry.objects.filter(pk=entry.pk).update(
                at=timezone.now() - timedelta(days=days_ago)
            )


def test_counts_staff_accesses_by_role_and_action_within_30_days():
    staff_access("support", "read")
    staff_access("support", "read")
    staff_access("auditor", "read")
    staff_access("support", "read", days_ago=31)

    report = transparency_report()

    assert report["staff_accesses"] == [
        {"role": "auditor", "action": "read", "count": 1},
        {"role": "support", "action": "read", "count": 2},
    ]
    assert report["staff_accesses_total"] == 3


def test_counts_erasures_from_the_ledger_and_exports_even_after_they_expired():
    account_erase(user=UserFactory())
    account_erase(user=UserFactory())
    export = export_request(user=UserFactory())
    export.delete()  # exports are deleted after a week; the count stays

    report = transparency_report()

    assert report["erasures"] == 2
    assert report["exports"] == 1


def test_old_events_drop_out_of_the_window():
    account_erase(user=UserFactory())
    export_request(user=UserFactory())

    report = transparency_report(now=timezone.now() + timedelta(days=31))

    assert (report["erasures"], report["exports"]) == (0, 0)


def test_an_empty_cell_reports_zeros_and_the_page_says_so(api):
    body = api().get("privacy/transparency").json()
    page = Client().get("/transparency")

    assert (body["staff_accesses"], body["erasures"], body["exports"]) == ([], 0, 0)
    assert page.status_code == 200
    assert "No staff member accessed protected data." in page.content.decode()


def test_the_page_and_the_api_show_the_same_counts_and_name_nobody(api):
    user = UserFactory(handle="grace")
    staff_access("moderator", "read")
    export_request(user=user)

    body = api().get("privacy/transparency").json()
    html = Client().get("/transparency").content.decode()

    assert body["staff_accesses"] == [{"role": "moderator", "action": "read", "count": 1}]
    assert body["exports"] == 1
    assert "<td>moderator</td><td>read</td><td>1</td>" in html
    assert "data-exports>1<" in html
    assert "grace" not in html
    assert "locked account" not in html  # justifications are not published


def test_the_report_names_the_newest_witnessed_checkpoint_of_the_chain():
    staff_access("support", "read")
    assert transparency_report()["checkpoint"] is None
    staff_access("auditor", "read")
    witnessed = witness_publish()

    report = transparency_report()
    page = Client().get("/transparency")
    api = Client().get("/api/v1/privacy/transparency").json()

    head = AuditEntry.objects.get(seq=2)
    assert (report["checkpoint"]["seq"], report["checkpoint"]["entry_hash"]) == (
        2,
        head.entry_hash,
    )
    assert report["checkpoint"]["signature"] == witnessed["signature"]
    assert report["staff_accesses_total"] == 2
    assert head.entry_hash.encode() in page.content
    assert (api["checkpoint"]["seq"], api["checkpoint"]["entry_hash"]) == (2, head.entry_hash)
    assert api["staff_accesses_total"] == 2


def test_outbound_requests_are_counted_apart_from_staff_accesses(api, settings):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from clipdeck.kernel import egress

    class Hello(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"hi")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CLIPDECK_EGRESS_ALLOW_LOOPBACK = True
    try:
        for _ in range(2):
            egress.fetch(f"http://127.0.0.1:{server.server_port}/x", purpose="catalog import")
    finally:
        server.shutdown()
        server.server_close()
    staff_access("support", "read")

    body = api().get("privacy/transparency").json()
    html = Client().get("/transparency").content.decode()

    assert body["staff_accesses_total"] == 1  # the cell's own requests are not staff
    assert body["outbound_requests"] == [{"data_class": "none", "count": 2}]
    assert body["outbound_requests_total"] == 2
    assert "data-outbound-total>2<" in html
    assert "127.0.0.1" not in html
