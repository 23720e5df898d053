"""Where the feed keeps its live state: ``CACHES["feed"]``.

Feed sessions, short-term profiles, per-viewer state and the shared candidate
lists live here, apart from the general cache (rate limits, page fragments),
so that nothing else can push them out. See ``clipdeck.runtime.caches.
feed_state_cache`` for the store chosen (Redis, an in-process LRU, or the
database with several web processes and no Redis).
"""

from __future__ import annotations

from django.core.cache import BaseCache, caches

ALIAS = "feed"


def store() -> BaseCache:
    """The feed's state store."""
    return caches[ALIAS]
