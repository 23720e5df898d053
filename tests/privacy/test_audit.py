"""The access gateway audits every staff read; the chain detects tampering."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from clipdeck.kernel.audit import audit_checkpoint, audit_verify, entry_digest
from clipdeck.kernel.errors import Forbidden, InvalidInput
from clipdeck.kernel.gateway import read_protected
from clipdeck.kernel.models import AuditEntry
from tests.factories import UserFactory
from tests.privacy.conftest import chain
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db


def staff(role: str | None = "support"):
    member = UserFactory(is_staff=True)
    if role:
        group = Group.objects.get_or_create(name=role)[0]
        group.permissions.add(Permission.objects.get(codename="view_user"))
        member.groups.add(group)
    return member


def test_a_gateway_read_returns_the_value_and_appends_an_entry_without_it():
    member, subject = staff("support"), UserFactory(email="subject@example.com")

    email = read_protected(
        actor=member, subject=subject, field="email", purpose="Ticket 8812: lost access"
    )

    assert email == "subject@example.com"
    entry = AuditEntry.objects.get()
    assert (entry.seq, entry.actor_id, entry.actor_role, entry.action) == (
        1,
        member.pk,
        "support",
        "read",
    )
    assert (entry.subject, entry.fields) == (f"accounts.User:{subject.pk}", ["email"])
    assert entry.justification == "Ticket 8812: lost access"
    assert "subject@example.com" not in json.dumps(list(AuditEntry.objects.values()), default=str)


def test_staff_without_a_role_cannot_read_and_nothing_is_logged():
    with pytest.raises(Forbidden):
        read_protected(
            actor=staff(role=None), subject=UserFactory(), field="email", purpose="just curious!!"
        )

    assert not AuditEntry.objects.exists()


def test_a_read_needs_a_written_justification():
    with pytest.raises(InvalidInput) as error:
        read_protected(actor=staff(), subject=UserFactory(), field="email", purpose="  ")

    assert error.value.field == "justification"
    assert not AuditEntry.objects.exists()


def test_an_admin_viewing_an_email_lands_in_the_audit_chain():
    member, subject = staff("support"), UserFactory(email="shown@example.com")
    client = Client()
    staff_sign_in(client, member)
    url = f"/admin/accounts/user/{subject.pk}/reveal/email/"

    change_page = client.get(f"/admin/accounts/user/{subject.pk}/change/")
    form = client.get(url)
    revealed = client.post(url, {"justification": "Support ticket 7: verify owner"})

    assert b"shown@example.com" not in change_page.content
    assert url.encode() in change_page.content
    assert b"shown@example.com" not in form.content
    assert b"shown@example.com" in revealed.content
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.subject, entry.fields) == (
        member.pk,
        f"accounts.User:{subject.pk}",
        ["email"],
    )
    assert audit_verify().ok


def test_the_admin_refuses_a_reveal_without_a_role():
    subject = UserFactory(email="hidden@example.com")
    member = UserFactory(is_staff=True)
    member.user_permissions.add(Permission.objects.get(codename="view_user"))
    client = Client()
    staff_sign_in(client, member)

    response = client.post(
        f"/admin/accounts/user/{subject.pk}/reveal/email/", {"justification": "I want to see it"}
    )

    assert response.status_code == 403
    assert b"hidden@example.com" not in response.content
    assert not AuditEntry.objects.exists()


def test_an_intact_chain_verifies():
    entries = chain(3)

    verdict = audit_verify()

    assert (verdict.ok, verdict.checked, verdict.head_hash) == (True, 3, entries[-1].entry_hash)


@pytest.mark.usefixtures("unguarded")
def test_changing_a_row_is_detected_at_that_row():
    chain(4)
    AuditEntry.objects.filter(seq=2).update(justification="nothing to see")

    verdict = audit_verify()

    assert (verdict.ok, verdict.bad_seq) == (False, 2)
    assert "content does not match" in verdict.reason


@pytest.mark.usefixtures("unguarded")
def test_rehashing_a_changed_row_breaks_the_next_link():
    chain(4)
    entry = AuditEntry.objects.get(seq=2)
    entry.subject = "accounts.User:999"
    entry.entry_hash = entry_digest(entry.prev_hash, entry)
    entry.save()

    verdict = audit_verify()

    assert (verdict.ok, verdict.bad_seq) == (False, 3)


@pytest.mark.usefixtures("unguarded")
def test_deleting_a_row_is_detected_where_it_was():
    chain(4)
    AuditEntry.objects.filter(seq=3).delete()

    verdict = audit_verify()

    assert (verdict.ok, verdict.bad_seq) == (False, 3)
    assert "removed" in verdict.reason


@pytest.mark.usefixtures("unguarded")
def test_reordering_rows_is_detected():
    chain(4)
    AuditEntry.objects.filter(seq=2).update(seq=99)
    AuditEntry.objects.filter(seq=3).update(seq=2)
    AuditEntry.objects.filter(seq=99).update(seq=3)

    verdict = audit_verify()

    assert (verdict.ok, verdict.bad_seq) == (False, 2)


@pytest.mark.usefixtures("unguarded")
def test_truncation_is_detected_against_a_signed_checkpoint():
    chain(3)
    checkpoint = audit_checkpoint()
    AuditEntry.objects.filter(seq=3).delete()

    assert audit_verify().ok  # a shorter chain is still a chain
    verdict = audit_verify(checkpoint=checkpoint)

    assert (verdict.ok, verdict.bad_seq) == (False, 3)
    assert "truncated" in verdict.reason


def test_a_forged_checkpoint_is_refused():
    chain(2)
    checkpoint = {**audit_checkpoint(), "seq": 1}

    verdict = audit_verify(checkpoint=checkpoint)

    assert not verdict.ok
    assert "signature" in verdict.reason


@pytest.mark.usefixtures("unguarded")
def test_the_command_reports_the_first_broken_entry(capsys, tmp_path):
    chain(3)
    saved = tmp_path / "checkpoint.json"
    call_command("audit", "checkpoint", "--out", str(saved))
    call_command("audit", "verify", "--from-checkpoint", str(saved))
    assert "Audit chain intact: 3 entries" in capsys.readouterr().out
    AuditEntry.objects.filter(seq=2).update(fields=["email", "phone"])

    with pytest.raises(CommandError) as error:
        call_command("audit", "verify")

    assert str(error.value).startswith("Audit chain broken at entry #2:")


def test_the_audit_log_is_read_only_in_the_admin():
    (entry,) = chain(1)
    client = Client()
    staff_sign_in(client, UserFactory(is_staff=True, is_superuser=True))

    listing = client.get("/admin/kernel/auditentry/")
    deletion = client.post(f"/admin/kernel/auditentry/{entry.pk}/delete/", {"post": "yes"})

    assert listing.status_code == 200
    assert deletion.status_code == 403
    assert AuditEntry.objects.count() == 1
