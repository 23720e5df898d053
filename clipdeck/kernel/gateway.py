"""The access gateway: the one way staff and partners read protected data.

Every read needs a staff role (a Django group named ``support``, ``moderator``
or ``auditor``; superusers act as ``operator``) and a written justification,
and appends an entry to the audit chain *before* the value is read, in the
same transaction. The entry names the record and the field, never the value.
Readers for each protected field are registered here, so a field without a
reader cannot be read through the gateway at all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from clipdeck.kernel.audit import audit_append
from clipdeck.kernel.errors import Forbidden, InvalidInput

ROLES = ("support", "moderator", "auditor")
OPERATOR = "operator"
MIN_JUSTIFICATION = 10


READERS: dict[tuple[str, str], Callable] = {}


def register_reader(model_label: str, field: str, reader: Callable) -> None:
    """Let ``field`` of ``model_label`` be read through the gateway with ``reader(obj)``.

    Apps register their readers in their ``personal_data`` module.
    """
    READERS[(model_label, field)] = reader


def has_reader(model_label: str, field: str) -> bool:
    """Whether ``field`` of ``model_label`` can be read through the gateway."""
    return (model_label, field) in READERS


def staff_role(actor) -> str:
    """The role ``actor`` acts in; Forbidden when they have none."""
    if actor is None or not actor.is_active or not actor.is_staff:
        raise Forbidden("Only staff with a role may see protected data.", code="no_role")
    if actor.is_superuser:
        return OPERATOR
    role = actor.groups.filter(name__in=ROLES).order_by("name").values_list("name", flat=True)
    if not role:
        raise Forbidden(
            "You need the support, moderator or auditor role to see protected data.",
            code="no_role",
        )
    return role[0]


def subject_label(subject) -> str:
    return f"{subject._meta.label}:{subject.pk}"


def _clean_justification(purpose: str) -> str:
    purpose = (purpose or "").strip()
    if len(purpose) < MIN_JUSTIFICATION:
        raise InvalidInput(
            f"Write why you need this data (at least {MIN_JUSTIFICATION} characters).",
            code="justification_required",
            field="justification",
        )
    return purpose[:500]


@transaction.atomic
def read_protected(*, actor, subject, field: str, purpose: str) -> str:
    """Read ``subject.field`` for ``actor``, who states ``purpose``; audited."""
    reader = READERS.get((subject._meta.label, field))
    if reader is None:
        raise InvalidInput(f"{field} cannot be read through the gateway.", field="field")
    role = staff_role(actor)
    audit_append(
        actor_id=actor.pk,
        actor_role=role,
        action="read",
        subject=subject_label(subject),
        fields=[field],
        justification=_clean_justification(purpose),
    )
    return reader(subject)


def record_staff_action(*, actor, action: str, subject, purpose: str) -> None:
    """Audit a staff action on a person's data that reads nothing (e.g. an erasure)."""
    audit_append(
        actor_id=actor.pk,
        actor_role=staff_role(actor),
        action=action,
        subject=subject_label(subject),
        fields=[],
        justification=_clean_justification(purpose),
    )
