"""The audit chain is keyed, append-only in the database and witnessed outside it.

The attacks here use what someone with the database (and, in the last ones,
the chain key) has: SQL, ``hashlib`` and ``hmac``, no Clipdeck code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import stat
from datetime import UTC

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from clipdeck.kernel import audit_guard
from clipdeck.kernel.audit import (
    GENESIS,
    audit_verify,
    chain_key,
    entry_digest,
    witness_latest,
    witness_publish,
)
from clipdeck.kernel.models import AuditEntry
from clipdeck.privacy.jobs import publish_audit_checkpoint
from tests.privacy.conftest import chain

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_chain_key(settings, tmp_path):
    settings.CLIPDECK_AUDIT_KEY_FILE = tmp_path / "keys" / "audit-chain.key"


def legacy_chain(length: int) -> list[AuditEntry]:
    """Entries as written before the chain key: version 1, unkeyed SHA-256."""
    entries, prev = [], GENESIS
    for seq in range(1, length + 1):
        entry = AuditEntry(
            seq=seq,
            at=timezone.now(),
            actor_id=1,
            actor_role="support",
            action="read",
            subject=f"accounts.User:{seq}",
            fields=["email"],
            justification=f"old ticket {seq}",
            prev_hash=prev,
            version=1,
        )
        entry.entry_hash = entry_digest(prev, entry)
        entry.save()
        entries.append(entry)
        prev = entry.entry_hash
    return entries


# --- what an attacker with the database can do, by hand ---------------------------


def _payload(row: dict) -> dict:
    payload = {
        "seq": row["seq"],
        "at": row["at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": row["actor_id"],
        "actor_role": row["actor_role"],
        "action": row["action"],
        "subject": row["subject"],
        "fields": json.loads(row["fields"]) if isinstance(row["fields"], str) else row["fields"],
        "justification": row["justification"],
    }
    if row["version"] != 1:
        payload["version"] = row["version"]
    return payload


def rewrite(seq: int, *, key: bytes | None = None, downgrade: bool = False, **changes) -> None:
    """Drop the triggers, change entry ``seq`` and recompute every hash from it on:
    SHA-256 without the key (optionally calling the entries version 1), HMAC with it."""
    audit_guard.remove(connection)  # DROP TRIGGER, as the file's owner can
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seq, at, actor_id, actor_role, action, subject, fields, justification, "
            "prev_hash, entry_hash, version FROM privacy_auditentry ORDER BY seq"
        )
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
        prev = GENESIS
        for row in rows:
            if row["seq"] >= seq:
                if row["seq"] == seq:
                    row.update(changes)
                if downgrade:
                    row["version"] = 1
                if isinstance(row["at"], str):
                    row["at"] = timezone.datetime.fromisoformat(row["at"])
                if row["at"].tzinfo is None:
                    row["at"] = row["at"].replace(tzinfo=UTC)
                canonical = json.dumps(_payload(row), sort_keys=True, separators=(",", ":"))
                message = f"{prev}\n{canonical}".encode()
                if key is None:
                    digest = hashlib.sha256(message).hexdigest()
                else:
                    digest = hmac.new(key, message, hashlib.sha256).hexdigest()
                cursor.execute(
                    "UPDATE privacy_auditentry SET actor_id = %s, actor_role = %s, "
                    "justification = %s, subject = %s, prev_hash = %s, entry_hash = %s, "
                    "version = %s WHERE seq = %s",
                    [
                        row["actor_id"],
                        row["actor_role"],
                        row["justification"],
                        row["subject"],
                        prev,
                        digest,
                        row["version"],
                        row["seq"],
                    ],
                )
                row["entry_hash"] = digest
            prev = row["entry_hash"]


def verify_command() -> str:
    try:
        call_command("audit", "verify")
    except CommandError as error:
        return str(error)
    return "intact"


# --- keyed chaining -------------------------------------------------------------


def test_new_entries_are_hmac_chained_under_a_key_file_made_0600(settings):
    (entry,) = chain(1)

    key_file = settings.CLIPDECK_AUDIT_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert entry.version == 2
    canonical = json.dumps(
        {
            "seq": 1,
            "at": entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "actor_id": 1,
            "actor_role": "support",
            "action": "read",
            "subject": "accounts.User:0",
            "fields": ["email"],
            "justification": "ticket 0",
            "version": 2,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    message = f"{GENESIS}\n{canonical}".encode()
    expected = hmac.new(key_file.read_text().strip().encode(), message, hashlib.sha256)
    assert entry.entry_hash == expected.hexdigest()
    assert entry.entry_hash != hashlib.sha256(message).hexdigest()
    assert key_file.read_text().strip() not in json.dumps(
        list(AuditEntry.objects.values()), default=str
    )


def test_a_different_key_does_not_verify_the_chain(settings, tmp_path):
    chain(2)
    settings.CLIPDECK_AUDIT_KEY_FILE = tmp_path / "another.key"

    verdict = audit_verify()

    assert (verdict.ok, verdict.bad_seq) == (False, 1)


def test_entries_from_before_the_key_keep_verifying_and_the_chain_goes_on_keyed():
    legacy_chain(2)
    chain(2)

    verdict = audit_verify()

    assert (verdict.ok, verdict.checked) == (True, 4)
    assert list(AuditEntry.objects.values_list("version", flat=True)) == [1, 1, 2, 2]


# --- append-only in the database ---------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE privacy_auditentry SET justification = 'nothing to see' WHERE seq = 1",
        "UPDATE privacy_auditentry SET seq = 99 WHERE seq = 2",
        "DELETE FROM privacy_auditentry WHERE seq = 2",
        "DELETE FROM privacy_auditentry",
    ],
)
def test_the_database_refuses_to_change_or_remove_an_entry(sql):
    chain(2)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)

    assert list(AuditEntry.objects.values_list("justification", flat=True)) == [
        "ticket 0",
        "ticket 1",
    ]
    assert audit_verify().ok


def test_the_orm_cannot_delete_entries_either():
    chain(1)

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()

    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_table_and_puts_the_guard_back():
    chain(2)

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEntry.objects.exists()
    assert audit_guard.installed(connection)


# --- the rewrite attacks ------------------------------------------------------------


def test_a_rewrite_without_the_key_is_detected():
    chain(5)

    rewrite(2, actor_id=77, actor_role="operator", justification="routine check")

    verdict = audit_verify()
    assert (verdict.ok, verdict.bad_seq) == (False, 2)
    assert verify_command().startswith("Audit chain broken at entry #2:")


def test_a_rewrite_calling_the_entries_unkeyed_is_detected():
    chain(5)

    rewrite(3, downgrade=True, justification="routine check")

    verdict = audit_verify()
    assert (verdict.ok, verdict.bad_seq) == (False, 3)
    assert "unkeyed entry after keyed ones" in verdict.reason


def test_a_whole_chain_rewritten_unkeyed_is_caught_by_the_witness():
    chain(3)
    witness_publish()

    rewrite(1, downgrade=True, justification="routine check")

    assert audit_verify().ok  # alone, an all-legacy chain is self-consistent
    assert "differs from the one in the checkpoint" in verify_command()


def test_a_rewrite_with_the_key_before_a_witnessed_checkpoint_is_detected():
    chain(4)
    witness_publish()
    chain(2)

    rewrite(2, key=chain_key(), subject="accounts.User:999", justification="routine")

    assert audit_verify().ok  # with the key the chain itself is consistent again
    message = verify_command()
    assert message.startswith("Audit chain broken at entry #4:")
    assert "against the witness checkpoint #4" in message


def test_cutting_the_chain_below_the_witness_is_detected():
    chain(4)
    witness_publish()
    audit_guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_auditentry WHERE seq >= 3")

    assert "truncated" in verify_command()


def test_verify_reports_an_intact_chain_against_the_witness(capsys):
    chain(3)
    call_command("audit", "checkpoint")
    chain(1)

    call_command("audit", "verify")

    out = capsys.readouterr().out
    assert "Audit chain intact: 4 entries" in out
    assert "Matches the witness checkpoint #3." in out


# --- the witness ------------------------------------------------------------------


def test_the_checkpoint_command_publishes_to_the_witness_folder(settings, capsys):
    (entry,) = chain(1)

    call_command("audit", "checkpoint")

    files = list(settings.CLIPDECK_AUDIT_WITNESS_DIR.glob("checkpoint-*.json"))
    assert len(files) == 1
    saved = json.loads(files[0].read_text())
    assert (saved["seq"], saved["entry_hash"]) == (1, entry.entry_hash)
    assert {"at", "signature", "public_key"} <= set(saved)
    assert json.loads(capsys.readouterr().out) == saved


def test_the_periodic_job_witnesses_the_head_only_when_it_moved(settings):
    chain(2)

    first = publish_audit_checkpoint.func()
    again = publish_audit_checkpoint.func()
    chain(1)
    moved = publish_audit_checkpoint.func()

    assert (first, again, moved) == (
        {"written": 1, "seq": 2},
        {"written": 0, "seq": 0},
        {"written": 1, "seq": 3},
    )
    assert len(list(settings.CLIPDECK_AUDIT_WITNESS_DIR.glob("checkpoint-*.json"))) == 2
    assert witness_latest()["seq"] == 3


def test_a_forged_witness_checkpoint_is_reported(settings):
    chain(2)
    witness_publish()
    forged = {**witness_latest(), "seq": 99}
    (settings.CLIPDECK_AUDIT_WITNESS_DIR / "checkpoint-000000000099-x.json").write_text(
        json.dumps(forged)
    )

    assert "signature" in verify_command()
