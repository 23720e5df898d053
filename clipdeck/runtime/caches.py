"""The ``CACHES["default"]`` entry: Redis when ``REDIS_URL`` is set, else the database.

The cache holds rate-limit counters, feed sessions and the feed's short-term
state, so every web process must share it: the embedded default is Django's
database cache (a table in the same SQLite/PostgreSQL database), Redis at scale.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

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
        "LOCATION": _per_test_worker(url),
        "KEY_PREFIX": "clipdeck",
        "OPTIONS": {
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
        },
    }


def _per_test_worker(url: str) -> str:
    """Under pytest-xdist, worker ``gwN`` uses Redis database N (like pytest-django's
    per-worker test databases): the suite clears the cache around every test, and
    ``clear()`` flushes the whole Redis database."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or not worker[2:].isdigit():
        return url
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return url
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + int(worker[2:])}"))
