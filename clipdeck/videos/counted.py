"""A row that exists once per person (a like), and the count kept beside its subject."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, models, transaction
from django.db.models import F


def count_once(row: models.Model, subject: models.Model, *, then: Callable[[], object]) -> None:
    """Save ``row`` and add one to ``subject.like_count``, unless the row already exists
    (its unique constraint says so): doing it twice changes nothing. ``then`` runs
    inside the same transaction, only when the row is new."""
    try:
        with transaction.atomic():
            row.save(force_insert=True)
            type(subject)._default_manager.filter(pk=subject.pk).update(
                like_count=F("like_count") + 1
            )
            then()
    except IntegrityError:
        pass
    subject.refresh_from_db(fields=["like_count"])


def uncount(rows: models.QuerySet, subject: models.Model) -> None:
    """Delete ``rows`` (a person's row about ``subject``) and take one off its count."""
    with transaction.atomic():
        deleted, _ = rows.delete()
        if deleted:
            type(subject)._default_manager.filter(pk=subject.pk, like_count__gt=0).update(
                like_count=F("like_count") - 1
            )
    subject.refresh_from_db(fields=["like_count"])
