"""The egress filter: the one place that decides which fields of a record may leave the cell.

Records sent outside the cell — federation, partner exports, analytics — go
through :func:`egress` first; the request itself then goes through the egress
client (``kernel/egress.py``), which applies the destination policy, the data
class and the limits, and audits it. It keeps only fields that the data inventory
classifies as ``public`` or ``internal`` and drops every ``protected`` one. A
field the inventory does not know is an error, never a silent pass: new data
cannot leave before someone has said what it is (fail closed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Field, ForeignObjectRel, Model
from django.db.models.fields.files import FieldFile

from clipdeck.kernel.personal_data import DataClass, lookup

MAY_LEAVE = frozenset({DataClass.PUBLIC, DataClass.INTERNAL})


class UnclassifiedField(LookupError):
    """A field that the data inventory does not declare was about to leave the cell."""


def egress(obj: Model | Mapping[str, Any], model: type[Model] | None = None) -> dict[str, Any]:
    """The part of ``obj`` that may leave the cell, as ``{field name: value}``.

    ``obj`` is a model instance, or a mapping of field names (or ``*_id``
    attribute names) of ``model`` to values. Protected fields are dropped;
    an unknown or undeclared name raises :class:`UnclassifiedField`.
    """
    if isinstance(obj, Model):
        model = type(obj)
        values = {field.name: _value_of(obj, field) for field in model._meta.concrete_fields}
    elif model is None:
        raise TypeError("egress() needs the model when given a mapping.")
    else:
        values = {_field_of(model, name).name: value for name, value in obj.items()}
    return {name: value for name, value in values.items() if may_leave(model, name)}


def may_leave(model: type[Model], field_name: str) -> bool:
    """Whether ``model.field_name`` is public or internal (UnclassifiedField if undeclared)."""
    record = lookup(model, field_name)
    if record is None:
        raise UnclassifiedField(
            f"{model._meta.label}.{field_name} is not in the data inventory; "
            "declare it before it can leave the cell."
        )
    return record.data_class in MAY_LEAVE


def _field_of(model: type[Model], name: str) -> Field | ForeignObjectRel:
    for field in model._meta.get_fields():
        if name in {field.name, getattr(field, "attname", None)}:
            return field
    raise UnclassifiedField(f"{model._meta.label} has no field {name!r}.")


def _value_of(obj: Model, field: Field) -> Any:
    value = field.value_from_object(obj)  # a foreign key gives the related id
    if isinstance(value, FieldFile):
        return value.name or None
    return value
