"""The videos a page dumps through ``VideoOut``, read by a query compiled once per process.

``with_relations`` (six joined tables and the captions' ``Exists``, then the
hashtags and mentions) is what the presenter reads. Through the ORM it cost
about 15 ms of CPU for ten videos at 100k videos on SQLite, of which SQLite's
own work was about 1 ms: the rest was building and compiling the same three
queries, page after page. On SQLite this module compiles them once per
process with the ids as one JSON parameter (``id IN (SELECT value FROM
json_each(%s))``, as ``visible_rows`` does), then per page only executes
them: the videos' rows become model instances the way the ORM's own model
iterator makes them (``kernel.compiled_query``), and
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

from django.db import connection
from django.db.models.expressions import RawSQL

from clipdeck.kernel.compiled_query import compile_once
from clipdeck.videos.models import Video
from clipdeck.videos.selectors import with_relations

_SENTINEL = '["page-videos"]'  # the ids' JSON parameter, when compiling
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
    compiled = compile_once("feed.page_videos", _query, [_SENTINEL])
    if compiled is None:
        return list(with_relations(Video.objects.filter(pk__in=video_ids)))
    ids = json.dumps([str(pk).replace("-", "").lower() for pk in video_ids])
    found = compiled.run(ids)
    with connection.cursor() as cursor:
        cursor.execute(_links("hashtags", "name"), [ids])
        hashtags = cursor.fetchall()
        cursor.execute(_links("mentions", "handle"), [ids])
        mentions = cursor.fetchall()
    _named(found, "hashtag_names", hashtags)
    _named(found, "mention_handles", mentions)
    return found


def _query():
    inside = RawSQL("SELECT value FROM json_each(%s)", [_SENTINEL])
    return with_relations(Video.objects.filter(pk__in=inside))


def _named(videos: list[Video], attribute: str, rows) -> None:
    """Set each video's ``attribute`` to its names of (video hex id, id, name) rows, in order."""
    named: dict[str, list[str]] = {}
    for video_hex, _, name in rows:
        named.setdefault(video_hex, []).append(name)
    for video in videos:
        setattr(video, attribute, named.get(video.pk.hex, []))


def _links(name: str, column: str) -> str:
    """(video id, id, ``column``) of the other side of the many-to-many ``name``, by the ids."""
    field = Video._meta.get_field(name)
    return _LINKS.format(
        link=field.remote_field.through._meta.db_table,
        video=field.m2m_column_name(),
        other=field.m2m_reverse_name(),
        table=field.related_model._meta.db_table,
        column=field.related_model._meta.get_field(column).column,
    )
