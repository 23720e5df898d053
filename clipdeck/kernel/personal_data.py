"""The data inventory: every stored field, its class, purpose and retention.

Each app declares its fields in an ``inventory.py`` beside its models with
:func:`declare`; ``PrivacyConfig.ready`` imports them all. A test fails when a
model field is missing here, so nothing personal is stored without a reason.

Classes (see docs/privacy.md and DESIGN.md, "The cell model"):

- ``public``: what a user published for everyone;
- ``protected``: personal data, kept only in this cell;
- ``internal``: operational data that identifies nobody.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum

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
