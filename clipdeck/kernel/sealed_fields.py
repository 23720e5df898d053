"""A text field kept encrypted with its owner's data key, read and written as plain text.

``caption = SealedTextField(owner="author_id", label="videos.Video.caption")``
behaves like a ``TextField`` in Python (``video.caption`` reads the text,
``video.caption = "…"`` and ``save(update_fields=["caption"])`` write it) while
the database column only ever holds ``cd1.`` ciphertext under the owner's data
key (``kernel.keys``), bound to ``label``. Once the owner's key is shredded the
field reads as ``""``.

- ``owner`` names the attribute holding the owner's user id; ``None`` means the
  row is the owner itself (a user's own fields).
- Sealing happens when the row is saved (``pre_save``), so the owner may be set
  after the text. A plaintext value can never reach the database: writing one
  through ``QuerySet.update`` raises.
- Serialisation (``dumpdata``, backups) and the admin see the ciphertext.
- The column cannot be searched or filtered by its text.
"""

from __future__ import annotations

from django.db import models
from django.db.models.query_utils import DeferredAttribute

from clipdeck.kernel import crypto, keys

_PLAIN = "_sealed_plain_"


class SealedValueError(ValueError):
    """Plain text on its way to a sealed column outside ``Model.save``."""


class SealedText(str):
    """The text of a sealed value that remembers its ciphertext (``.sealed``), so a raw
    save (``loaddata``) or an update with a value read from a row writes ciphertext."""

    sealed: str

    def __new__(cls, plain: str, sealed: str) -> SealedText:
        text = super().__new__(cls, plain)
        text.sealed = sealed
        return text


class _SealedAttribute(DeferredAttribute):
    """Reads decrypt (once per stored value); writes keep the text until the row is saved."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        raw = super().__get__(instance, cls)
        if not crypto.is_sealed(raw):
            return raw
        memo = instance.__dict__.get(_PLAIN + self.field.attname)
        if memo is not None and memo[0] == raw:
            return memo[1]
        plain = SealedText(self.field.unseal(instance, raw), raw)  # type: ignore[attr-defined]
        instance.__dict__[_PLAIN + self.field.attname] = (raw, plain)
        return plain

    def __set__(self, instance, value) -> None:
        instance.__dict__[self.field.attname] = value


class SealedTextField(models.TextField):
    descriptor_class = _SealedAttribute

    def __init__(self, *args, owner: str | None = None, label: str = "", **kwargs) -> None:
        self.owner, self.label = owner, label
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["owner"], kwargs["label"] = self.owner, self.label
        return name, path, args, kwargs

    def owner_of(self, instance):
        """The account whose key seals this field: the row itself, or a user id."""
        return instance if self.owner is None else getattr(instance, self.owner)

    def unseal(self, instance, raw: str) -> str:
        return self.open(self.owner_of(instance), raw)

    def open(self, owner, raw: str) -> str:
        """The text of a stored value ``raw`` of ``owner`` (a user or user id): for
        ``values()`` rows; ``""`` once the owner's key is gone."""
        if owner is None or not crypto.is_sealed(raw):
            return "" if owner is None else raw
        try:
            return keys.unseal_for(owner, self.label, raw)
        except crypto.DecryptionError:  # shredded key (erasure) or a value from elsewhere
            return ""

    def seal(self, owner, text: str) -> str:
        """``text`` sealed for ``owner`` (a user or user id), for ``QuerySet.update``."""
        return keys.seal_for(owner, self.label, text) if text else ""

    def pre_save(self, model_instance, add):
        raw = model_instance.__dict__.get(self.attname, "")
        if isinstance(raw, SealedText):  # text read from a row and assigned again
            memo = model_instance.__dict__.get(_PLAIN + self.attname)
            raw = raw.sealed if memo is not None and memo[1] is raw else str(raw)
        if not raw or crypto.is_sealed(raw):
            return raw
        sealed = keys.seal_for(self.owner_of(model_instance), self.label, raw)
        model_instance.__dict__[self.attname] = sealed
        model_instance.__dict__[_PLAIN + self.attname] = (sealed, SealedText(raw, sealed))
        return sealed

    def get_db_prep_save(self, value, connection):
        if isinstance(value, SealedText):
            value = value.sealed
        if value and not crypto.is_sealed(value):
            raise SealedValueError(
                f"{self.label} is sealed: set it on the object and save() it, never update() it."
            )
        return super().get_db_prep_save(value, connection)

    def value_from_object(self, obj):
        """The stored (sealed) value: what serialisers and forms see."""
        value = obj.__dict__.get(self.attname, "")
        return value.sealed if isinstance(value, SealedText) else value


def seal_column(model, name: str) -> None:
    """Seal every plaintext value of ``model.name`` (a data migration); rows whose
    owner has no key left get an empty value."""
    field = model._meta.get_field(name)
    rows = model._base_manager.exclude(**{name: ""}).only("pk", name, *_owner_fields(field))
    for obj in rows.iterator():
        raw = obj.__dict__[field.attname]
        if crypto.is_sealed(raw):
            continue
        try:
            sealed = keys.seal_for(field.owner_of(obj), field.label, raw)
        except keys.KeyShredded:
            sealed = ""
        model._base_manager.filter(pk=obj.pk).update(**{name: sealed})


def unseal_column(model, name: str, connection) -> None:
    """Write ``model.name`` back as plaintext (reversing :func:`seal_column`)."""
    field = model._meta.get_field(name)
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(field.column)
    pk = quote(model._meta.pk.column)
    for obj in model._base_manager.only("pk", name, *_owner_fields(field)).iterator():
        raw = obj.__dict__[field.attname]
        if crypto.is_sealed(raw):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                    [field.unseal(obj, raw), obj.pk],
                )


def _owner_fields(field) -> tuple[str, ...]:
    return () if field.owner is None else (field.owner.removesuffix("_id"),)
