"""Cursor pagination, newest first, with an enforced maximum page size.

A cursor is an opaque token naming the last item of the previous page by its
``(created_at, pk)``; pages stay stable while new items arrive.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from ninja.pagination import PaginationBase

from clipdeck.kernel.errors import InvalidInput

T = TypeVar("T", bound=Model)
DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(created_at: datetime, pk: object) -> str:
    raw = json.dumps([created_at.isoformat(), str(pk)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, model: type[Model] | None = None) -> tuple[datetime, object]:
    """The ``(created_at, pk)`` a cursor names, checked against ``model``'s pk type."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        when = datetime.fromisoformat(created)
        if when.tzinfo is None:
            raise ValueError("naive datetime")
        if pk is None:
            raise ValueError("missing pk")
        if model is not None:
            pk = model._meta.pk.to_python(pk)
        return when, pk
    except (
        ValueError,
        TypeError,
        binascii.Error,
        json.JSONDecodeError,
        ValidationError,
    ) as exc:
        raise InvalidInput(
            "The cursor is not valid; start again from the first page.",
            code="bad_cursor",
            field="cursor",
        ) from exc


def check_limit(limit: int | None) -> int:
    """The page size asked for, or an error naming the allowed range."""
    maximum = settings.CLIPDECK_PAGE_MAX
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= maximum:
        raise InvalidInput(
            f"limit must be between 1 and {maximum}.", code="bad_limit", field="limit"
        )
    return limit


def paginate(
    queryset: QuerySet[T], *, cursor: str | None, limit: int | None, time_field: str = "created_at"
) -> Page[T]:
    """One page of ``queryset`` ordered by ``time_field`` then pk, newest first."""
    size = check_limit(limit)
    ordered = queryset.order_by(f"-{time_field}", "-pk")
    if cursor:
        when, pk = decode_cursor(cursor, queryset.model)
        ordered = ordered.filter(
            Q(**{f"{time_field}__lt": when}) | Q(**{time_field: when, "pk__lt": pk})
        )
    rows = list(ordered[: size + 1])
    items = rows[:size]
    more = len(rows) > size
    next_cursor = encode_cursor(getattr(items[-1], time_field), items[-1].pk) if more else None
    return Page(items=items, next_cursor=next_cursor)


Present = Callable[[list, HttpRequest], list]


class CursorQuery(PaginationBase.Input):
    """The query of a cursor list: ``?cursor=…&limit=…`` (a Ninja pagination input)."""

    cursor: str | None = None
    limit: int | None = None


# Ninja files the query model of ``@paginate`` among the document's schemas,
# though every operation lists ``cursor`` and ``limit`` as plain parameters.
INPUT_SCHEMA_NAME = CursorQuery.__name__


class CursorPagination(PaginationBase):
    """Ninja's ``@paginate`` with our cursors: ``?cursor=…&limit=…`` → ``{items, next_cursor}``.

    Use as ``@paginate(CursorPagination, time_field=…, present=…)`` under an
    operation whose ``response`` is the page schema (``items`` and
    ``next_cursor``). The operation returns a queryset; this class orders and
    slices it exactly as :func:`paginate` does. ``present(items, request)``
    turns one page of rows into what the item schema reads (attach the
    viewer's state in one query per page, or pick a related object).
    """

    Input = CursorQuery

    # The response schema is the operation's own page schema, named as before. Ninja
    # tests ``if paginator.Output`` and keeps the operation's response when it is
    # falsy, but its stubs type the attribute as a schema class.
    Output = None  # type: ignore[assignment]

    def __init__(
        self, *, time_field: str = "created_at", present: Present | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.time_field = time_field
        self.present = present

    def paginate_queryset(
        self, queryset: QuerySet, pagination: CursorQuery, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        """One page of ``queryset`` with the cursor of the next page."""
        page = paginate(
            queryset, cursor=pagination.cursor, limit=pagination.limit, time_field=self.time_field
        )
        items = self.present(page.items, request) if self.present else page.items
        return {"items": items, "next_cursor": page.next_cursor}
