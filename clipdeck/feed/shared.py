"""Lists computed once for every viewer (trending, fresh, the exploration pool), kept in the cache.

Each list holds no personal data; the pipeline filters every candidate from
it through the viewer's visibility check. A request that finds no list
computes it; a request that finds one older than ``fresh_s`` still uses it and
starts a background refresh (one per list at a time, across processes through
a cache lock), so no request waits for a recomputation once the list exists.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import connections

KEEP_FACTOR = 10  # a list older than this many times its freshness is recomputed in the request


def shared_list(key: str, compute: Callable[[], list], *, fresh_s: float) -> list:
    """The list cached under ``key``: computed now when missing, refreshed behind when stale."""
    entry = cache.get(key)
    now = time.time()
    if not isinstance(entry, dict):
        return _store(key, compute(), fresh_s)
    if now - entry["at"] > fresh_s and cache.add(f"{key}:refreshing", True, fresh_s):
        threading.Thread(
            target=_refresh, args=(key, compute, fresh_s), name=f"refresh {key}", daemon=True
        ).start()
    return entry["value"]


def _store(key: str, value: list, fresh_s: float) -> list:
    cache.set(key, {"at": time.time(), "value": value}, KEEP_FACTOR * fresh_s)
    return value


def _refresh(key: str, compute: Callable[[], list], fresh_s: float) -> None:
    try:
        _store(key, compute(), fresh_s)
    finally:
        cache.delete(f"{key}:refreshing")
        connections.close_all()  # this thread's own connections
