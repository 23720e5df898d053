"""The append-only, hash-chained audit log of access to protected data.

Each entry's hash is HMAC-SHA256, under the chain key, over the previous
entry's hash and the entry's canonical JSON (:func:`entry_digest`); the first
entry follows ``GENESIS``. The chain key lives in a file apart from the
database (``CLIPDECK_AUDIT_KEY_FILE``, never in a backup), so someone who can
write the database but not read the key cannot recompute the hashes after
changing a row. Entries written before the key existed are ``version`` 1 and
keep their unkeyed SHA-256; a version 1 entry after a version 2 one is
tampering.
:func:`audit_verify` recomputes the chain offline and names the first entry
that does not match: a changed row breaks its own hash, a removed or reordered
row breaks the link of the row after it. Removing the newest rows leaves a
valid but shorter chain, so an auditor keeps signed heads
(:func:`audit_checkpoint`) and verifies against them: a head that is no longer
in the chain means the log was truncated. Signed heads are also published to
a witness folder outside the database (``CLIPDECK_AUDIT_WITNESS_DIR``,
:func:`witness_publish`), which ``clipdeck audit verify`` checks against on its
own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from clipdeck.env import secret_from_file
from clipdeck.kernel.crypto import derive_key
from clipdeck.kernel.models import AuditEntry

GENESIS = "0" * 64
APPEND_ATTEMPTS = 5
UNKEYED = 1  # SHA-256, entries from before the chain key
KEYED = 2  # HMAC-SHA256 under the chain key
CHAIN_VERSION = KEYED


def chain_key() -> bytes:
    """The HMAC key of the chain, from ``CLIPDECK_AUDIT_KEY_FILE`` (made 0600 at first use)."""
    return secret_from_file(Path(settings.CLIPDECK_AUDIT_KEY_FILE)).encode()


def entry_payload(entry: AuditEntry) -> dict:
    """The hashed content of an entry: ids, names and reasons, never personal values."""
    payload = {
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": entry.actor_id,
        "actor_role": entry.actor_role,
        "action": entry.action,
        "subject": entry.subject,
        "fields": list(entry.fields),
        "justification": entry.justification,
    }
    if entry.version != UNKEYED:
        payload["version"] = entry.version
    return payload


def entry_digest(prev_hash: str, entry: AuditEntry, *, key: bytes | None = None) -> str:
    """The entry's hash: HMAC-SHA256 under the chain key, or SHA-256 for version 1."""
    canonical = json.dumps(entry_payload(entry), sort_keys=True, separators=(",", ":"))
    message = f"{prev_hash}\n{canonical}".encode()
    if entry.version == UNKEYED:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key or chain_key(), message, hashlib.sha256).hexdigest()


def audit_append(
    *,
    actor_id: int | None,
    actor_role: str,
    action: str,
    subject: str,
    fields: list[str],
    justification: str,
) -> AuditEntry:
    """Append one entry at the head of the chain (retrying if another append won)."""
    for _ in range(APPEND_ATTEMPTS):
        try:
            with transaction.atomic():
                head = AuditEntry.objects.order_by("-seq").first()
                entry = AuditEntry(
                    seq=head.seq + 1 if head else 1,
                    at=timezone.now(),
                    actor_id=actor_id,
                    actor_role=actor_role,
                    action=action,
                    subject=subject,
                    fields=list(fields),
                    justification=justification,
                    prev_hash=head.entry_hash if head else GENESIS,
                    version=CHAIN_VERSION,
                )
                entry.entry_hash = entry_digest(entry.prev_hash, entry)
                entry.save()
                return entry
        except IntegrityError:
            continue  # a concurrent append took this sequence number
    raise RuntimeError("Could not append to the audit log; try again.")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    bad_seq: int | None = None
    reason: str = ""

    def message(self) -> str:
        if self.ok:
            head = f"head #{self.head_seq} {self.head_hash}"
            return f"Audit chain intact: {self.checked} entries, {head}."
        return f"Audit chain broken at entry #{self.bad_seq}: {self.reason}"


def audit_verify(
    entries: Iterable[AuditEntry] | None = None, *, checkpoint: dict | None = None
) -> Verdict:
    """Recompute the chain; the first entry that does not match, if any."""
    if entries is None:
        entries = AuditEntry.objects.order_by("seq").iterator()
    key = chain_key()
    prev_hash, expected_seq, hashes, keyed = GENESIS, 1, {}, False
    for entry in entries:
        problem = _check(entry, expected_seq, prev_hash, key, keyed)
        if problem:
            return Verdict(False, expected_seq - 1, expected_seq - 1, prev_hash, *problem)
        hashes[entry.seq] = entry.entry_hash
        keyed = keyed or entry.version != UNKEYED
        prev_hash, expected_seq = entry.entry_hash, expected_seq + 1
    head_seq = expected_seq - 1
    if checkpoint is not None:
        problem = _check_checkpoint(checkpoint, hashes, head_seq)
        if problem:
            return Verdict(False, head_seq, head_seq, prev_hash, *problem)
    return Verdict(True, head_seq, head_seq, prev_hash)


def _check(
    entry: AuditEntry, expected_seq: int, prev_hash: str, key: bytes, keyed: bool
) -> tuple[int, str] | None:
    if entry.seq != expected_seq:
        return expected_seq, f"expected entry #{expected_seq} but found #{entry.seq} (removed?)"
    if entry.prev_hash != prev_hash:
        return entry.seq, "its link to the previous entry does not match (removed or reordered?)"
    if entry.version not in (UNKEYED, KEYED):
        return entry.seq, f"unknown chain version {entry.version} (changed?)"
    if keyed and entry.version == UNKEYED:
        return entry.seq, "an unkeyed entry after keyed ones (rewritten without the key?)"
    if not hmac.compare_digest(entry.entry_hash, entry_digest(prev_hash, entry, key=key)):
        return entry.seq, "its content does not match its hash (changed?)"
    return None


def _check_checkpoint(checkpoint: dict, hashes: dict, head_seq: int) -> tuple[int, str] | None:
    seq = int(checkpoint.get("seq", 0))
    if not checkpoint_signature_ok(checkpoint):
        return seq, "the checkpoint's signature is not valid for this cell"
    if seq > head_seq:
        return (
            head_seq + 1,
            f"the log ends at #{head_seq} but the checkpoint has #{seq} (truncated)",
        )
    if seq and hashes.get(seq) != checkpoint.get("entry_hash"):
        return seq, "this entry differs from the one in the checkpoint (rewritten?)"
    return None


# --- signed checkpoints ---------------------------------------------------------


def _signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(derive_key("clipdeck audit checkpoint v1"))


def public_key_text() -> str:
    """The cell's checkpoint-signing public key (raw Ed25519, base64)."""
    raw = _signing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def _signed_text(seq: int, entry_hash: str) -> bytes:
    return f"clipdeck-audit-checkpoint:{seq}:{entry_hash}".encode()


def audit_checkpoint() -> dict:
    """A signed head of the chain, for an auditor to keep."""
    head = AuditEntry.objects.order_by("-seq").first()
    seq, entry_hash = (head.seq, head.entry_hash) if head else (0, GENESIS)
    signature = _signing_key().sign(_signed_text(seq, entry_hash))
    return {
        "seq": seq,
        "entry_hash": entry_hash,
        "at": timezone.now().astimezone(UTC).isoformat(),
        "public_key": public_key_text(),
        "signature": base64.b64encode(signature).decode(),
    }


def checkpoint_signature_ok(checkpoint: dict) -> bool:
    """Whether ``checkpoint`` was signed by this cell's key."""
    try:
        if checkpoint.get("public_key") != public_key_text():
            return False
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(checkpoint["public_key"]))
        signed = _signed_text(int(checkpoint["seq"]), str(checkpoint["entry_hash"]))
        public.verify(base64.b64decode(checkpoint["signature"]), signed)
    except (InvalidSignature, KeyError, ValueError, TypeError):
        return False
    return True


# --- the witness: signed heads kept outside the database -------------------------


def witness_dir() -> Path:
    return Path(settings.CLIPDECK_AUDIT_WITNESS_DIR)


def witness_latest() -> dict | None:
    """The newest checkpoint in the witness folder (highest seq, then latest), if any.

    A file that cannot be read as a checkpoint is returned as it is (an empty
    dict if not JSON) so that verification reports it instead of skipping it.
    """
    try:
        names = sorted(p.name for p in witness_dir().glob("checkpoint-*.json"))
    except OSError:
        return None
    if not names:
        return None
    try:
        loaded = json.loads((witness_dir() / names[-1]).read_text())
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def witness_publish(checkpoint: dict | None = None, *, force: bool = True) -> dict | None:
    """Write a signed head to the witness folder; the checkpoint, or None if skipped.

    Without ``force`` nothing is written when the newest witness already has
    this head (the periodic job, when no entry was appended since).
    """
    checkpoint = checkpoint or audit_checkpoint()
    latest = witness_latest()
    if (
        not force
        and latest
        and (latest.get("seq"), latest.get("entry_hash"))
        == (checkpoint["seq"], checkpoint["entry_hash"])
    ):
        return None
    folder = witness_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"checkpoint-{int(checkpoint['seq']):012d}-{stamp}.json"
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(checkpoint, indent=2) + "\n")
    os.replace(partial, path)
    return checkpoint
