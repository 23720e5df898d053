"""Database triggers that keep the audit table append-only.

``privacy_auditentry`` refuses UPDATE and DELETE (and, on PostgreSQL,
TRUNCATE) whatever issues them: the ORM, a raw cursor or a bug. This is a
guard rail, not a lock: whoever can run DDL on the database (the database
owner, a root user with the SQLite file) can drop the triggers, which is why
the chain is keyed and its head witnessed outside the database
(``kernel.audit``).

The guard is installed by the kernel's migration ``0003_audit_append_only``.
Two things lift it on purpose, each putting it back afterwards: ``flush``
(``clipdeck manage flush`` and the test runner empty every table) and nothing
else. A later migration that makes SQLite rebuild the table (``AlterField`` and
the like copy it to a new table, which drops its triggers) must call
:func:`install` again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

TABLE = "privacy_auditentry"
MESSAGE = "the audit log is append-only"

_SQLITE_TRIGGERS = {
    f"{TABLE}_no_update": "UPDATE",
    f"{TABLE}_no_delete": "DELETE",
}
_PG_FUNCTION = f"{TABLE}_append_only"
_PG_ROW_TRIGGER = f"{TABLE}_no_change"
_PG_TRUNCATE_TRIGGER = f"{TABLE}_no_truncate"


def _statements_install(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f'CREATE TRIGGER IF NOT EXISTS "{name}" BEFORE {event} ON "{TABLE}" '
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            for name, event in _SQLITE_TRIGGERS.items()
        ]
    if vendor == "postgresql":
        return [
            f'CREATE OR REPLACE FUNCTION "{_PG_FUNCTION}"() RETURNS trigger '
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{MESSAGE} (% refused)', TG_OP; "
            "END; $$",
            f'DROP TRIGGER IF EXISTS "{_PG_ROW_TRIGGER}" ON "{TABLE}"',
            f'CREATE TRIGGER "{_PG_ROW_TRIGGER}" BEFORE UPDATE OR DELETE ON "{TABLE}" '
            f'FOR EACH ROW EXECUTE FUNCTION "{_PG_FUNCTION}"()',
            f'DROP TRIGGER IF EXISTS "{_PG_TRUNCATE_TRIGGER}" ON "{TABLE}"',
            f'CREATE TRIGGER "{_PG_TRUNCATE_TRIGGER}" BEFORE TRUNCATE ON "{TABLE}" '
            f'FOR EACH STATEMENT EXECUTE FUNCTION "{_PG_FUNCTION}"()',
        ]
    return []


def _statements_remove(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f'DROP TRIGGER IF EXISTS "{name}"' for name in _SQLITE_TRIGGERS]
    if vendor == "postgresql":
        return [
            f'DROP TRIGGER IF EXISTS "{_PG_ROW_TRIGGER}" ON "{TABLE}"',
            f'DROP TRIGGER IF EXISTS "{_PG_TRUNCATE_TRIGGER}" ON "{TABLE}"',
            f'DROP FUNCTION IF EXISTS "{_PG_FUNCTION}"()',
        ]
    return []


def install(connection) -> None:
    """Create the triggers (idempotent); other databases than SQLite and PostgreSQL: nothing."""
    with connection.cursor() as cursor:
        for sql in _statements_install(connection.vendor):
            cursor.execute(sql)


def remove(connection) -> None:
    """Drop the triggers (idempotent)."""
    with connection.cursor() as cursor:
        for sql in _statements_remove(connection.vendor):
            cursor.execute(sql)


def installed(connection) -> bool:
    """Whether the triggers are in place on ``connection``'s database."""
    if connection.vendor == "sqlite":
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s)"
        names: tuple[str, ...] = tuple(_SQLITE_TRIGGERS)
    elif connection.vendor == "postgresql":
        query = "SELECT count(*) FROM pg_trigger WHERE tgname IN (%s, %s)"
        names = (_PG_ROW_TRIGGER, _PG_TRUNCATE_TRIGGER)
    else:
        return False
    with connection.cursor() as cursor:
        cursor.execute(query, names)
        return cursor.fetchone()[0] == len(names)


@contextmanager
def lifted(connection) -> Iterator[None]:
    """Without the triggers for the block (emptying every table); put back after."""
    if not installed(connection):
        yield
        return
    remove(connection)
    try:
        yield
    finally:
        install(connection)
