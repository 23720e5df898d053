"""The ``CACHES["default"]`` entry: Redis when ``REDIS_URL`` is set, else the database.

The cache holds rate-limit counters, feed sessions and the feed's short-term
state, so every web process must share it: the embedded default is Django's
database cache (a table in the same SQLite/PostgreSQL database), Redis at scale.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Fail fast when Redis is unreachable: a request should not hang on the cache.
REDIS_TIMEOUT_SECONDS = 2


def database_cache() -> dict:
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "clipdeck_cache",
        # Django's default of 300 entries would cull the feed's shared lists and
        # viewers' sessions every few hundred requests; expired rows are deleted
        # by the retention job instead.
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    }


def redis_cache(url: str) -> dict:
    """Django's built-in Redis cache for ``url`` (``redis://``, ``rediss://`` or ``unix://``)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix://, not {url!r}."
        )
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "clipdeck",
        "OPTIONS": {
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
        },
    }


# The feed's live state (sessions, short-term profiles, per-viewer candidates,
# shared lists) in one web process: Django's local-memory cache evicts the
# least recently *used* entries (every read moves an entry to the young end),
# so only state nobody touched for the longest time goes. 250 000 entries hold
# a session, a profile and a candidate list for ~80 000 viewers active at once
# (about 1-2 KB each, a few hundred MB at most); when full, the oldest tenth
# goes (CULL_FREQUENCY 10), never a third of everything as with the defaults.
FEED_LOCAL_ENTRIES = 250_000
FEED_LOCAL_CULL = 10


def feed_state_cache(redis_url: str, web_processes: int) -> dict:
    """``CACHES["feed"]``: where the feed keeps live per-viewer state and shared lists.

    Redis when configured (shared by every process, evicts by its own policy);
    else, with one web process (``clipdeck serve`` by default), an in-process
    LRU store: no query per read, and eviction only of the least recently used
    state. With several web processes and no Redis the state must be shared,
    so it goes to the database cache with a ceiling it never reaches (expired
    rows are deleted by the retention job).
    """
    if redis_url:
        return {**redis_cache(redis_url), "KEY_PREFIX": "clipdeck-feed"}
    if web_processes > 1:
        return {**database_cache(), "KEY_PREFIX": "feed", "OPTIONS": {"MAX_ENTRIES": 50_000_000}}
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "clipdeck-feed-state",
        "OPTIONS": {"MAX_ENTRIES": FEED_LOCAL_ENTRIES, "CULL_FREQUENCY": FEED_LOCAL_CULL},
    }
