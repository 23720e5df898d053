"""The data inventory and each app's personal-data hooks.

Each app declares its fields in ``<app>/personal_data.py`` with
:func:`declare`; ``KernelConfig.ready`` imports them all. A test fails when a
model field is missing here, so nothing personal is stored without a reason.

The same module registers the app's hooks with :func:`register`: its section
of a user's export, what erasing a user does to its rows and files, and the
pruner that deletes what its declared retentions no longer keep. Privacy's
export, erasure and retention iterate them (:func:`exporters`,
:func:`erasers`, :func:`pruners`) and never import an app.

Classes (see docs/privacy.md and DESIGN.md, "The cell model"):

- ``public``: what a user published for everyone;
- ``protected``: personal data, kept only in this cell;
- ``internal``: operational data that identifies nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.core.files import File
from django.db.models import Model


class DataClass(StrEnum):
    PUBLIC = "public"
    PROTECTED = "protected"
    INTERNAL = "internal"


class Retention(StrEnum):
    ACCOUNT = "Until the account or the item is deleted."
    ERASURE = "Until the account is erased."
    SESSION = "Until the session or token ends (logout, expiry or erasure)."
    EVENTS = "90 days, then deleted."
    RATE_LIMIT = "15 minutes (one rate-limit window)."
    OPERATIONAL = "As long as the system needs it; identifies nobody."


@dataclass(frozen=True)
class FieldRecord:
    model: str
    field: str
    data_class: DataClass
    purpose: str
    retention: str

    def as_dict(self) -> dict:
        return asdict(self)


_REGISTRY: dict[tuple[str, str], FieldRecord] = {}


def declare(model: type[Model], fields: dict[str, tuple[DataClass, str, Retention | str]]) -> None:
    """Classify ``fields`` of ``model``: ``{name: (class, purpose, retention)}``."""
    label = model._meta.label
    for name, (data_class, purpose, retention) in fields.items():
        model._meta.get_field(name)  # a typo fails loudly at start-up
        _REGISTRY[(label, name)] = FieldRecord(
            model=label,
            field=name,
            data_class=DataClass(data_class),
            purpose=purpose,
            retention=str(retention),
        )


def records() -> list[FieldRecord]:
    """Every declared field, in a stable order."""
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def lookup(model: type[Model], field: str) -> FieldRecord | None:
    return _REGISTRY.get((model._meta.label, field))


def fields_of_class(data_class: DataClass) -> list[FieldRecord]:
    return [record for record in records() if record.data_class == data_class]


# --- hooks --------------------------------------------------------------------

Exporter = Callable[[Any], dict[str, Any]]
FileExporter = Callable[[Any], Iterable[tuple[str, File]]]
Eraser = Callable[[Any], None]
Pruner = Callable[[datetime], dict[str, int]]


@dataclass(frozen=True)
class PersonalData:
    """One app's personal-data hooks.

    - ``export(user)``: its documents of the user's export, ``{name: JSON-ready data}``
      (each becomes ``<name>.json`` in the ZIP);
    - ``export_files(user)``: ``(name in the ZIP, file)`` pairs to copy into it;
    - ``erase(user)``: delete or detach its rows and files of the user, inside
      the erasure's transaction (files only once it commits);
    - ``prune(now)``: delete what its retentions no longer keep, ``{kind: how many}``;
    - ``prunes``: labels of the models whose time-bound retention ``prune`` keeps.
    """

    app_label: str
    export: Exporter | None = None
    export_files: FileExporter | None = None
    erase: Eraser | None = None
    prune: Pruner | None = None
    prunes: tuple[str, ...] = ()


_HOOKS: dict[str, PersonalData] = {}


def register(
    app_label: str,
    *,
    export: Exporter | None = None,
    export_files: FileExporter | None = None,
    erase: Eraser | None = None,
    prune: Pruner | None = None,
    prunes: Iterable[str] = (),
) -> PersonalData:
    """Register ``app_label``'s hooks (once per app; registering again replaces them)."""
    if prunes and prune is None:
        raise ValueError(f"{app_label} names models it prunes but registers no pruner.")
    hooks = PersonalData(app_label, export, export_files, erase, prune, tuple(prunes))
    _HOOKS[app_label] = hooks
    return hooks


def registrations() -> list[PersonalData]:
    """Every app's hooks, in the order the apps were loaded (lower layers first)."""
    return list(_HOOKS.values())


def exporters() -> list[PersonalData]:
    """Apps that contribute to a user's export, in load order."""
    return [hooks for hooks in registrations() if hooks.export or hooks.export_files]


def erasers() -> list[Eraser]:
    """Erase hooks, upper layers first: an app's rows go before the rows they hang off.

    Apps load after the apps they build on (``INSTALLED_APPS``), so the reverse of
    the load order ends with the accounts app, whose hook deletes the account.
    """
    return [hooks.erase for hooks in reversed(registrations()) if hooks.erase]


def pruners() -> list[Pruner]:
    """Every registered pruner, in load order."""
    return [hooks.prune for hooks in registrations() if hooks.prune]


def pruned_models() -> frozenset[str]:
    """Labels of every model some registered pruner covers."""
    return frozenset(label for hooks in registrations() for label in hooks.prunes)


def iso(value: datetime | None) -> str | None:
    """A timestamp as exports write it (ISO 8601), or None."""
    return value.isoformat() if value else None
