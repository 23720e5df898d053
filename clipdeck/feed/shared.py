"""Lists computed once for every viewer (trending, fresh, exploration), kept in the feed store.

Each list holds no personal data; the pipeline filters every candidate from
it through the viewer's visibility check. A request that finds no list
computes it; a request that finds one older than ``fresh_s`` still uses it and
starts a background refresh (one per list at a time, across processes through
a lock in the shared cache), so no request waits for a recomputation once the
list exists.

``invalidate`` drops lists everywhere: in this process's store at once, and,
when the feed store is per process, in the others through a generation
number in the shared cache that each process reads at most once a second.

A process keeps the last copy of each list it read; a page reads only the
list's small time stamp from the store and takes the copy while the stamps
match, so a list of a few thousand rows is not deserialised on every page.
Callers must not modify a returned list.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import connections

from clipdeck.feed.store import store

KEEP_FACTOR = 10  # a list older than this many times its freshness is recomputed in the request
GENERATION_KEY = "feed:lists:generation"
GENERATION_CHECK_S = 1.0
_seen_generation: dict[str, float | None] = {"checked": None, "value": None}
_local: dict[str, tuple[float, list]] = {}  # key -> (stored at, value): this process's copies


def _stamp(key: str) -> str:
    return f"{key}:at"


def shared_list(key: str, compute: Callable[[], list], *, fresh_s: float) -> list:
    """The list cached under ``key``: computed now when missing, refreshed behind when stale."""
    now = time.time()
    _follow_invalidations(now)
    at = store().get(_stamp(key))
    local = _local.get(key)
    if at is None or local is None or local[0] != at:
        entry = store().get(key)
        if not isinstance(entry, dict):
            return _store(key, compute(), fresh_s)
        local = _local[key] = (entry["at"], entry["value"])
    at, value = local
    if now - at > fresh_s and cache.add(f"{key}:refreshing", True, fresh_s):
        threading.Thread(
            target=_refresh, args=(key, compute, fresh_s), name=f"refresh {key}", daemon=True
        ).start()
    return value


def invalidate(keys: Iterable[str]) -> None:
    """Forget the lists ``keys`` in every process; the next request recomputes them."""
    keys = list(keys)
    _forget_here(keys)
    cache.set(GENERATION_KEY, {"value": time.time(), "keys": keys}, None)


def _follow_invalidations(now: float) -> None:
    """Drop here the lists another process invalidated (checked at most once a second)."""
    checked = _seen_generation["checked"]
    if checked is not None and now - checked < GENERATION_CHECK_S:
        return
    _seen_generation["checked"] = now
    latest = cache.get(GENERATION_KEY)
    if not isinstance(latest, dict) or latest["value"] == _seen_generation["value"]:
        return
    # Also on this process's first look: lists it computed before any invalidation
    # was ever published may predate the one it now sees (a video the worker published).
    _forget_here(latest["keys"])
    _seen_generation["value"] = latest["value"]


def _forget_here(keys: list[str]) -> None:
    store().delete_many([*keys, *map(_stamp, keys)])
    for key in keys:
        _local.pop(key, None)


def _store(key: str, value: list, fresh_s: float) -> list:
    at = time.time()
    keep = KEEP_FACTOR * fresh_s
    store().set_many({key: {"at": at, "value": value}, _stamp(key): at}, keep)
    _local[key] = (at, value)
    return value


def _refresh(key: str, compute: Callable[[], list], fresh_s: float) -> None:
    try:
        _store(key, compute(), fresh_s)
    finally:
        cache.delete(f"{key}:refreshing")
        connections.close_all()  # this thread's own connections
