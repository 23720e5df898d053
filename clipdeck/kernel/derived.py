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


def register_derived_table(model_label: str, *, rebuild: Callable[[], object]) -> None:
    """Declare ``model_label`` ("app.Model") derived: left out of backups, rebuilt on restore."""
    _DERIVED[model_label] = rebuild


def derived_tables() -> dict[str, Callable[[], object]]:
    """Every registered derived table, by model label, in a stable order."""
    return dict(sorted(_DERIVED.items()))


def unregister_derived_table(model_label: str) -> None:
    """Forget a registration (tests)."""
    _DERIVED.pop(model_label, None)
