"""The feed's per-page visibility query, compiled once per viewer and minute.

``Video.objects.visible_to(viewer)`` is the one visibility policy; building
and compiling it through the ORM costs a few milliseconds a page, several
times what SQLite takes to answer it. On SQLite the feed compiles the policy's
query once per viewer with the candidate ids passed as one JSON parameter
(``id IN (SELECT value FROM json_each(%s))``), keeps the SQL for
``REUSE_S`` seconds, and only swaps the ids on later pages.

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
from collections import OrderedDict
from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL

from clipdeck.videos.models import Video, VideoStatus

REUSE_S = 60.0
KEEP = 10_000  # viewers whose compiled query is kept (least recently used go first)
_SENTINEL = "[]"


@dataclass
class _Compiled:
    sql: str
    params: list
    converters: dict
    at: float


_compiled: OrderedDict = OrderedDict()
_lock = threading.Lock()


def _queryset(viewer, fields, ids, columns=None):
    videos = Video.objects.visible_to(viewer).filter(status=VideoStatus.PUBLISHED)
    extra = columns(viewer) if columns is not None else {}
    if extra:
        videos = videos.annotate(**extra)
    return videos.filter(pk__in=ids).values_list(*fields, *extra)


def _compile(viewer, fields, columns=None) -> _Compiled | None:
    inside = RawSQL("SELECT value FROM json_each(%s)", [_SENTINEL])
    queryset = _queryset(viewer, fields, inside, columns)
    compiler = queryset.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    if not params or params[-1] != _SENTINEL or list(params).count(_SENTINEL) != 1:
        return None  # the ids' parameter is not where it is swapped in: take the ORM path
    converters = compiler.get_converters([col for col, _, _ in compiler.select])
    return _Compiled(sql, list(params), converters, time.monotonic())


def _compiled_for(viewer, fields, columns=None) -> _Compiled | None:
    named = f"{columns.__module__}.{columns.__qualname__}" if columns is not None else None
    key = (viewer.pk if viewer is not None else None, tuple(fields), named)
    now = time.monotonic()
    with _lock:
        found = _compiled.get(key)
        if found is not None and now - found.at < REUSE_S:
            _compiled.move_to_end(key)
            return found
    found = _compile(viewer, fields, columns)
    if found is not None:
        with _lock:
            _compiled[key] = found
            while len(_compiled) > KEEP:
                _compiled.popitem(last=False)
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
    compiled = _compiled_for(viewer, fields, columns) if connection.vendor == "sqlite" else None
    if compiled is None:
        return list(_queryset(viewer, fields, list(video_ids), columns))
    ids = json.dumps([_hex(pk) for pk in video_ids])
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, [*compiled.params[:-1], ids])
        rows = cursor.fetchall()
    if not compiled.converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for position, (functions, expression) in compiled.converters.items():
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        converted.append(tuple(row))
    return converted


def _hex(pk) -> str:
    """A video id as SQLite stores it (32 hex digits)."""
    return str(pk).replace("-", "").lower()


def forget() -> None:
    """Drop every compiled query (tests)."""
    with _lock:
        _compiled.clear()
