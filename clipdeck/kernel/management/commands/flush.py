"""``flush``, which also empties the append-only audit table.

Django's ``flush`` (and the test runner, between transactional tests) empties
every table; the audit table's triggers (``kernel.audit_guard``) would refuse
that, so they are lifted for the flush and put back after it.
"""

from __future__ import annotations

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from clipdeck.kernel import audit_guard


class Command(flush.Command):
    def handle(self, **options) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with audit_guard.lifted(connection):
            super().handle(**options)
