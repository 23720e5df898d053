"""The feed's per-page visibility query, compiled once per process and minute.

``Video.objects.visible_to(viewer)`` is the one visibility policy; building
and compiling it through the ORM costs a few milliseconds a page, several
times what SQLite takes to answer it. On SQLite the feed compiles the policy's
query once for every signed-in viewer alike (and once for anybody else): it
is built for a sentinel viewer, whose id marks where each viewer's own id goes
among the parameters, with the candidate ids passed as one JSON parameter
(``id IN (SELECT value FROM json_each(%s))``). The SQL is kept for ``REUSE_S``
seconds; a page swaps in its viewer's id and its ids.

What reuse can make stale is safe: blocks and follows are subqueries that
SQLite evaluates on every page; the only value fixed at compile time is the
"now" that an author's suspension is compared with, so a suspension that ends
shows the author's videos again up to ``REUSE_S`` seconds late, and one that
starts hides them at once. Other databases take the ORM path every time.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL

from clipdeck.accounts.models import User
from clipdeck.kernel.auth import as_viewer
from clipdeck.videos.models import Video, VideoStatus

REUSE_S = 60.0
_SENTINEL = "[]"
# The id of the viewer a signed-in viewer's query is compiled for: no account has it.
_VIEWER = -0x636C6970


@dataclass
class _Compiled:
    sql: str
    params: list
    viewer_at: list[int]  # where the viewer's id goes among ``params``
    converters: list[tuple[int, Callable[[Any], Any]]]  # (column, SQLite's value -> Python's)
    at: float


_compiled: dict = {}
_lock = threading.Lock()


def _queryset(viewer, fields, ids, columns=None):
    videos = Video.objects.visible_to(viewer).filter(status=VideoStatus.PUBLISHED)
    extra = columns(viewer) if columns is not None else {}
    if extra:
        videos = videos.annotate(**extra)
    return videos.filter(pk__in=ids).values_list(*fields, *extra)


def _sentinel_viewer() -> User:
    viewer = User(pk=_VIEWER, handle="compiled-viewer")
    viewer._state.adding = False  # only its id is read, to place it among the parameters
    return viewer


def _compile(signed_in: bool, fields, columns=None) -> _Compiled | None:
    inside = RawSQL("SELECT value FROM json_each(%s)", [_SENTINEL])
    queryset = _queryset(_sentinel_viewer() if signed_in else None, fields, inside, columns)
    compiler = queryset.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    if not params or params[-1] != _SENTINEL or list(params).count(_SENTINEL) != 1:
        return None  # the ids' parameter is not where it is swapped in: take the ORM path
    viewer_at = [n for n, value in enumerate(params) if value == _VIEWER]
    if signed_in != bool(viewer_at):
        return None  # the viewer's id is not a parameter of its own: take the ORM path
    converters = compiler.get_converters([col for col, _, _ in compiler.select])
    return _Compiled(sql, list(params), viewer_at, _converters(converters), time.monotonic())


def _converters(django: dict) -> list[tuple[int, Callable[[Any], Any]]]:
    """Each converted column's conversion as one function of the value.

    A page converts every candidate's id and dates; the two conversions the
    feed's columns need most are done directly (what Django's SQLite backend
    does, in fewer calls); any other goes through Django's own converters.
    """
    found = []
    for position, (functions, expression) in django.items():
        names = [getattr(function, "__name__", "") for function in functions]
        if names == ["convert_uuidfield_value"]:
            found.append((position, _uuid))
        elif names == ["convert_datetimefield_value"] and _utc_datetimes():
            found.append((position, _utc_datetime))
        else:
            found.append((position, _through(functions, expression)))
    return found


def _through(functions, expression) -> Callable[[Any], Any]:
    def convert(value):
        for function in functions:
            value = function(value, expression, connection)
        return value

    return convert


def _utc_datetimes() -> bool:
    """Whether Django reads SQLite's datetimes as naive UTC made aware (``USE_TZ``, no
    database ``TIME_ZONE``)."""
    return bool(settings.USE_TZ) and connection.timezone == UTC


def _uuid(value):
    return None if value is None else UUID(value)


def _utc_datetime(value):
    """SQLite's text of a datetime (naive UTC, as Django writes it) as an aware datetime."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _compiled_for(viewer, fields, columns=None) -> _Compiled | None:
    named = f"{columns.__module__}.{columns.__qualname__}" if columns is not None else None
    key = (viewer is not None, tuple(fields), named)
    now = time.monotonic()
    with _lock:
        found = _compiled.get(key)
    if found is not None and now - found.at < REUSE_S:
        return found
    found = _compile(viewer is not None, fields, columns)
    if found is not None:
        with _lock:
            _compiled[key] = found
    return found


def visible_rows(viewer, video_ids: list[str], fields, columns=None) -> list[tuple]:
    """``fields`` of the published videos of ``video_ids`` that ``viewer`` may see, one query.

    ``columns(viewer)``, when given, names more columns as expressions (the
    viewer's own state, say: ``{"liked": Exists(…)}``); they follow ``fields``
    in each row. It must be a module-level function: its name keys the
    compiled query.
    """
    if not video_ids:
        return []
    viewer = as_viewer(viewer)
    compiled = _compiled_for(viewer, fields, columns) if connection.vendor == "sqlite" else None
    if compiled is None:
        return list(_queryset(viewer, fields, list(video_ids), columns))
    params = list(compiled.params)
    for position in compiled.viewer_at:
        params[position] = viewer.pk
    params[-1] = json.dumps([_hex(pk) for pk in video_ids])
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    if not compiled.converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for position, convert in compiled.converters:
            row[position] = convert(row[position])
        converted.append(tuple(row))
    return converted


def _hex(pk) -> str:
    """A video id as SQLite stores it (32 hex digits)."""
    return str(pk).replace("-", "").lower()


def forget() -> None:
    """Drop every compiled query (tests)."""
    with _lock:
        _compiled.clear()
