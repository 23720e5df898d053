"""A model query's SQL compiled once per process, then run again with new values.

Building a queryset and compiling it to SQL costs Django far more than SQLite
takes to answer a simple query: about 1.5 ms to look a bearer token up, and
most of the 12 ms of reading a feed page's videos with their relations. On the
hot paths the query is built once with *sentinel* values in place of what
changes per call, compiled, and the sentinels' positions among the SQL's
parameters remembered; a call then executes the same SQL with the values it
brings and turns the rows into model instances the way the ORM's own model
iterator does (``from_db`` for the model, the related-object populators for
``select_related``, the annotations), so callers receive the objects the
queryset would have given.

Values must reach ``run`` as the database stores them (``db_value``): a
sentinel is swapped for the value given, with no conversion. Only SQLite
takes this path (``compile_once`` answers None elsewhere, and callers then use
the queryset itself); a queryset whose compiled parameters do not hold each
sentinel exactly once is refused the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler


@dataclass
class Compiled:
    """One compiled query: its SQL, parameters, and how its rows become instances."""

    sql: str
    params: list
    positions: list[int]  # where each sentinel's value goes, in ``run``'s argument order
    compiler: SQLCompiler
    converters: dict
    model: type[Model]
    init_list: list[str]
    start: int
    end: int
    populators: list
    annotations: dict

    def run(self, *values) -> list[Any]:
        """The instances the queryset gives with ``values`` in the sentinels' places."""
        params = list(self.params)
        for position, value in zip(self.positions, values, strict=True):
            params[position] = value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        found, alias = [], connection.alias
        for row in rows:
            instance = self.model.from_db(alias, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, instance)
            for name, position in self.annotations.items():
                setattr(instance, name, row[position])
            found.append(instance)
        return found


_compiled: dict[tuple[str, str], Compiled | None] = {}
_lock = threading.Lock()


def compile_once(name: str, build: Callable[[], QuerySet], sentinels: list) -> Compiled | None:
    """The query ``build()`` returns, compiled once per process and database as ``name``.

    ``sentinels`` are the values ``build`` put where each call's values go, as
    the database stores them; None where this path is not taken.
    """
    key = (name, connection.alias)
    if key in _compiled:
        return _compiled[key]
    found = _compile(build(), sentinels) if connection.vendor == "sqlite" else None
    with _lock:
        _compiled[key] = found
    return found


def _compile(queryset: QuerySet, sentinels: list) -> Compiled | None:
    compiler = queryset.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    params = list(params)
    if any(params.count(sentinel) != 1 for sentinel in sentinels):
        return None
    select, info = compiler.select, compiler.klass_info
    start, end = info["select_fields"][0], info["select_fields"][-1] + 1
    return Compiled(
        sql=sql,
        params=params,
        positions=[params.index(sentinel) for sentinel in sentinels],
        compiler=compiler,
        converters=compiler.get_converters([col for col, _, _ in select[: compiler.col_count]]),
        model=info["model"],
        init_list=[column[0].target.attname for column in select[start:end]],
        start=start,
        end=end,
        # the installed Django's signature (its stubs describe a later one)
        populators=get_related_populators(info, select, connection.alias),  # type: ignore[call-arg]
        annotations=dict(compiler.annotation_col_map),
    )


def db_value(value):
    """``value`` as the database stores it, for ``Compiled.run`` (dates and times adapted)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def forget() -> None:
    """Drop every compiled query (tests)."""
    with _lock:
        _compiled.clear()
