"""The privacy app's own rows (and the kernel's audit chain) in the inventory.

Users' data keys are not rows: they live in the key store (``kernel.keystore``).

Its hooks export the staff accesses to a user's data, delete their export
files on erasure, and prune expired exports, old transparency counts and
expired rate-limit counters in a database cache.
"""

from __future__ import annotations

from datetime import datetime

from clipdeck.kernel.models import AuditEntry
from clipdeck.kernel.personal_data import DataClass, declare, register
from clipdeck.kernel.storage import delete_on_commit
from clipdeck.privacy.models import DataExport, TransparencyCount

PROT, INT = DataClass.PROTECTED, DataClass.INTERNAL
EXPORTS = "Deleted when the download expires (CLIPDECK_EXPORT_RETENTION_DAYS, 7 days by default)."
TRANSPARENCY = "365 days, then deleted by the retention job."
AUDIT = "Kept for the life of the cell: the audit chain is append-only."

declare(
    DataExport,
    {
        "id": (INT, "Unguessable key of the download.", EXPORTS),
        "user": (PROT, "Whose export it is; only they can download it.", EXPORTS),
        "status": (INT, "Whether the export is ready.", EXPORTS),
        "file": (PROT, "The ZIP of everything about the user (art. 15 and 20 GDPR).", EXPORTS),
        "size": (INT, "Shown beside the download link.", EXPORTS),
        "error": (INT, "Why building the export failed.", EXPORTS),
        "created_at": (PROT, "When the user asked for it.", EXPORTS),
        "finished_at": (INT, "When it was ready.", EXPORTS),
        "expires_at": (INT, "When the file and this row are deleted.", EXPORTS),
    },
)
declare(
    AuditEntry,
    {
        "id": (INT, "Internal key.", AUDIT),
        "seq": (INT, "Position in the audit chain.", AUDIT),
        "at": (INT, "When the access happened.", AUDIT),
        "actor_id": (INT, "Which staff member or partner looked (an account id).", AUDIT),
        "actor_role": (INT, "The role they acted in.", AUDIT),
        "action": (INT, "What they did (read, erase).", AUDIT),
        "subject": (
            PROT,
            "Which record was accessed, by id only; the user may see accesses to their data.",
            AUDIT,
        ),
        "fields": (INT, "Which fields were read, by name (never their values).", AUDIT),
        "justification": (INT, "The written reason given for the access.", AUDIT),
        "prev_hash": (INT, "Links the entry to the one before (hash chain).", AUDIT),
        "entry_hash": (
            INT,
            "HMAC-SHA256 (keyed; SHA-256 for old entries) of this entry and the previous hash.",
            AUDIT,
        ),
        "version": (INT, "How the hash is made: 1 unkeyed SHA-256, 2 HMAC-SHA256.", AUDIT),
    },
)
declare(
    TransparencyCount,
    {
        "id": (INT, "Internal key.", TRANSPARENCY),
        "day": (INT, "Day counted in the transparency report.", TRANSPARENCY),
        "kind": (INT, "What was counted (for example exports).", TRANSPARENCY),
        "count": (INT, "How many happened that day; names nobody.", TRANSPARENCY),
    },
)


def export(user) -> dict:
    """Staff accesses to the user's data, from the audit chain."""
    from clipdeck.privacy.transparency import accesses_to

    return {"staff_accesses": accesses_to(user)}


def erase(user) -> None:
    """Delete the files of the user's exports once the erasure commits (rows cascade)."""
    for export_row in DataExport.objects.filter(user=user):
        delete_on_commit(export_row.file)


def prune(now: datetime) -> dict[str, int]:
    """Delete expired exports, year-old transparency counts and expired cache rows."""
    from clipdeck.privacy.export import exports_prune
    from clipdeck.privacy.retention import cache_prune
    from clipdeck.privacy.transparency import counts_prune

    return {
        "exports": exports_prune(),
        "cache_entries": cache_prune(),
        "transparency_counts": counts_prune(now=now),
    }


register(
    "privacy",
    export=export,
    erase=erase,
    prune=prune,
    prunes=("privacy.DataExport", "privacy.TransparencyCount"),
)
