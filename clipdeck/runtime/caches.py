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
