"""Derived tables: rows rebuilt from other data, left out of backups.

An app whose table can be recomputed from the rest of the database (a search
index, a cache of counts) registers it::

    register_derived_table("search.Entry", rebuild=search_rebuild)

Backups then leave the table's rows out (so nothing an erasure removed from
the source rows survives there, and backups stay small), and a restore calls
``rebuild()`` once the database and the erasures are back in place.
"""

from __future__ import annotations

from collections.abc import Callable

_DERIVED: dict[str, Callable[[], object]] = {}
_DERIVED_SQL: dict[str, Callable[[], object]] = {}


def register_derived_table(model_label: str, *, rebuild: Callable[[], object]) -> None:
    """Declare ``model_label`` ("app.Model") derived: left out of backups, rebuilt on restore."""
    _DERIVED[model_label] = rebuild


def derived_tables() -> dict[str, Callable[[], object]]:
    """Every registered derived table, by model label, in a stable order."""
    return dict(sorted(_DERIVED.items()))


def unregister_derived_table(model_label: str) -> None:
    """Forget a registration (tests)."""
    _DERIVED.pop(model_label, None)


def register_derived_sql_tables(tables: list[str], *, rebuild: Callable[[], object]) -> None:
    """Declare raw SQL tables (no model: a full-text index) derived, as above.

    Listed in the order their rows are deleted from a backup's copy; a table the
    database does not have (another vendor's index) is skipped.
    """
    for table in tables:
        _DERIVED_SQL[table] = rebuild


def derived_sql_tables() -> dict[str, Callable[[], object]]:
    """Every registered raw derived table, in registration order."""
    return dict(_DERIVED_SQL)


def rebuilds() -> list[Callable[[], object]]:
    """Each distinct rebuild to run after a restore, once."""
    found: list[Callable[[], object]] = []
    for rebuild in [*derived_tables().values(), *derived_sql_tables().values()]:
        if rebuild not in found:
            found.append(rebuild)
    return found
