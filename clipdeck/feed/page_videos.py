"""The videos a page dumps through ``VideoOut``, read by a query compiled once per process.

``with_relations`` (six joined tables and the captions' ``Exists``, then the
hashtags and mentions) is what the presenter reads. Through the ORM it cost
about 15 ms of CPU for ten videos at 100k videos on SQLite, of which SQLite's
own work was about 1 ms: the rest was building and compiling the same three
queries, page after page. On SQLite this module compiles them once per
process with the ids as one JSON parameter (``id IN (SELECT value FROM
json_each(%s))``, as ``visible_rows`` does), then per page only executes
them: the videos' rows become model instances the way the ORM's own model
iterator makes them (``from_db`` and its related-object populators), and
each video carries its hashtags' names and its mentions' handles
(``hashtag_names``, ``mention_handles``, which ``VideoOut`` reads before
asking the relations), in the order ``prefetch_related`` reads them on
SQLite (the link table's index), so the dump is the one the ORM's objects
give. Each video's relations themselves are not prefetched: reading
``video.hashtags`` of one of these videos queries.

The query holds no viewer and no time: nothing in it goes stale. Other
databases take the ORM path every time.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL
from django.db.models.query import get_related_populators

from clipdeck.videos.models import Video
from clipdeck.videos.selectors import with_relations

_SENTINEL = "[]"
_lock = threading.Lock()


@dataclass
class _Plan:
    sql: str
    params: list
    compiler: object
    converters: dict
    init_list: list[str]
    start: int
    end: int
    populators: list
    annotations: dict
    hashtags: str  # (video id, hashtag id, name) of the ids
    mentions: str  # (video id, user id, handle) of the ids


_plans: dict[str, _Plan] = {}  # by database alias
# The link table first, by its (video, other) index, as ``prefetch_related``'s plan reads it.
_LINKS = (
    'SELECT l."{video}", t."id", t."{column}" FROM "{link}" l '
    'INNER JOIN "{table}" t ON t."id" = l."{other}" '
    'WHERE l."{video}" IN (SELECT value FROM json_each(%s)) '
    'ORDER BY l."{video}", l."{other}"'
)


def videos(video_ids: list[str]) -> list[Video]:
    """The videos of ``video_ids`` (any order), as ``with_relations`` reads them."""
    if not video_ids:
        return []
    plan = _plan() if connection.vendor == "sqlite" else None
    if plan is None:
        return list(with_relations(Video.objects.filter(pk__in=video_ids)))
    ids = json.dumps([str(pk).replace("-", "").lower() for pk in video_ids])
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, [*plan.params[:-1], ids])
        rows = cursor.fetchall()
        cursor.execute(plan.hashtags, [ids])
        hashtags = cursor.fetchall()
        cursor.execute(plan.mentions, [ids])
        mentions = cursor.fetchall()
    if plan.converters:
        rows = plan.compiler.apply_converters(rows, plan.converters)
    found = []
    for row in rows:
        video = Video.from_db(connection.alias, plan.init_list, row[plan.start : plan.end])
        for populator in plan.populators:
            populator.populate(row, video)
        for name, position in plan.annotations.items():
            setattr(video, name, row[position])
        found.append(video)
    _named(found, "hashtag_names", hashtags)
    _named(found, "mention_handles", mentions)
    return found


def _named(videos: list[Video], attribute: str, rows) -> None:
    """Set each video's ``attribute`` to its names of (video hex id, id, name) rows, in order."""
    named: dict[str, list[str]] = {}
    for video_hex, _, name in rows:
        named.setdefault(video_hex, []).append(name)
    for video in videos:
        setattr(video, attribute, named.get(video.pk.hex, []))


def _plan() -> _Plan | None:
    alias = connection.alias
    found = _plans.get(alias)
    if found is not None:
        return found
    inside = RawSQL("SELECT value FROM json_each(%s)", [_SENTINEL])
    queryset = with_relations(Video.objects.filter(pk__in=inside))
    compiler = queryset.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    if not params or params[-1] != _SENTINEL or list(params).count(_SENTINEL) != 1:
        return None  # the ids' parameter is not where it is swapped in: take the ORM path
    select, info = compiler.select, compiler.klass_info
    start, end = info["select_fields"][0], info["select_fields"][-1] + 1
    found = _Plan(
        sql=sql,
        params=list(params),
        compiler=compiler,
        converters=compiler.get_converters([col for col, _, _ in select[: compiler.col_count]]),
        init_list=[column[0].target.attname for column in select[start:end]],
        start=start,
        end=end,
        populators=get_related_populators(info, select, alias),
        annotations=dict(compiler.annotation_col_map),
        hashtags=_links("hashtags", "name"),
        mentions=_links("mentions", "handle"),
    )
    with _lock:
        _plans[alias] = found
    return found


def _links(name: str, column: str) -> str:
    """(video id, id, ``column``) of the other side of the many-to-many ``name``, by the ids."""
    field = Video._meta.get_field(name)
    through = field.remote_field.through._meta
    return _LINKS.format(
        link=through.db_table,
        video=field.m2m_column_name(),
        other=field.m2m_reverse_name(),
        table=field.related_model._meta.db_table,
        column=field.related_model._meta.get_field(column).column,
    )


def forget() -> None:
    """Drop the compiled queries (tests that change the schema's connection)."""
    with _lock:
        _plans.clear()
