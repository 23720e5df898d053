"""The transparency report: what staff and users did with personal data, counted.

For the last 30 days: staff accesses to protected data by role and action
(counted from the audit chain's own rows, with the newest witnessed
checkpoint's sequence number and hash so that anyone can hold the counts
against the chain an auditor verifies; the free-text justifications are not published, they
may quote a support case), account erasures (from the shredded-key ledger,
which survives restores and is never in a backup), the requests the cell sent
out through the egress client, by the class of data they carried (from the
chain's ``egress`` entries), and personal-data exports
(from :class:`TransparencyCount`, since exports themselves are deleted after a
week). Every figure is a count: the report names nobody.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, F, Sum
from django.utils import timezone

from clipdeck.kernel.audit import checkpoint_signature_ok, witness_latest
from clipdeck.kernel.egress import EGRESS_ACTION, SYSTEM_ROLE
from clipdeck.kernel.ledger import ledger_path
from clipdeck.kernel.models import AuditEntry
from clipdeck.kernel.personal_data import iso
from clipdeck.privacy.models import TransparencyCount

WINDOW = timedelta(days=30)
KEEP = timedelta(days=365)
EXPORT = "export"


def count_event(kind: str) -> None:
    """Add one ``kind`` event (e.g. an export) to today's count."""
    row, _ = TransparencyCount.objects.get_or_create(day=timezone.localdate(), kind=kind)
    TransparencyCount.objects.filter(pk=row.pk).update(count=F("count") + 1)


def transparency_report(*, now: datetime | None = None) -> dict:
    """Counts for the 30 days up to ``now``: staff accesses, erasures and exports."""
    now = now or timezone.now()
    since = now - WINDOW
    accesses = (
        AuditEntry.objects.filter(at__gte=since, at__lte=now)
        .exclude(actor_role=SYSTEM_ROLE)  # the cell's own outbound requests, not staff
        .values("actor_role", "action")
        .annotate(count=Count("id"))
        .order_by("actor_role", "action")
    )
    staff = [
        {"role": row["actor_role"], "action": row["action"], "count": row["count"]}
        for row in accesses
    ]
    exports = TransparencyCount.objects.filter(
        kind=EXPORT, day__gte=since.date(), day__lte=now.date()
    ).aggregate(total=Sum("count"))["total"]
    outbound = (
        AuditEntry.objects.filter(
            at__gte=since, at__lte=now, actor_role=SYSTEM_ROLE, action=EGRESS_ACTION
        )
        .values("fields")
        .annotate(count=Count("id"))
    )
    by_class: dict[str, int] = {}
    for row in outbound:
        data_class = (row["fields"] or ["none"])[0]
        by_class[data_class] = by_class.get(data_class, 0) + row["count"]
    return {
        "since": since,
        "until": now,
        "outbound_requests": [
            {"data_class": name, "count": count} for name, count in sorted(by_class.items())
        ],
        "outbound_requests_total": sum(by_class.values()),
        "staff_accesses": staff,
        "staff_accesses_total": sum(row["count"] for row in staff),
        "erasures": erasures_between(since, now),
        "exports": exports or 0,
        "checkpoint": witnessed_checkpoint(),
    }


def witnessed_checkpoint() -> dict | None:
    """The newest witness checkpoint (seq, hash, when, signature) if it is validly signed."""
    checkpoint = witness_latest()
    if not checkpoint or not checkpoint_signature_ok(checkpoint):
        return None
    return {
        "seq": int(checkpoint["seq"]),
        "entry_hash": str(checkpoint["entry_hash"]),
        "at": datetime.fromisoformat(str(checkpoint["at"])),
        "signature": str(checkpoint["signature"]),
        "public_key": str(checkpoint["public_key"]),
    }


def erasures_between(since: datetime, until: datetime) -> int:
    """Accounts erased in the window, from the shredded-key ledger's timestamps."""
    try:
        lines = ledger_path().read_text().splitlines()
    except FileNotFoundError:
        return 0
    count = 0
    for line in lines:
        parts = line.split()
        if len(parts) >= 2 and since <= datetime.fromisoformat(parts[1]) <= until:
            count += 1
    return count


def accesses_to(user) -> list[dict]:
    """Staff accesses to ``user``'s data, oldest first, from the audit chain."""
    rows = AuditEntry.objects.filter(subject=f"{user._meta.label}:{user.pk}").order_by("seq")
    return [
        {
            "at": iso(e.at),
            "role": e.actor_role,
            "action": e.action,
            "fields": e.fields,
            "justification": e.justification,
        }
        for e in rows
    ]


def counts_prune(*, now: datetime | None = None) -> int:
    """Delete daily counts older than a year; how many rows."""
    cutoff = ((now or timezone.now()) - KEEP).date()
    deleted, _ = TransparencyCount.objects.filter(day__lt=cutoff).delete()
    return deleted
