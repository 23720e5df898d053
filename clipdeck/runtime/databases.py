"""The ``DATABASES["default"]`` entry: SQLite in the data folder, or ``DATABASE_URL``.

On PostgreSQL, connections come from a psycopg pool in each process (Django 5.2's
``"pool"`` option). Pooling and persistent connections exclude each other
(Django refuses ``CONN_MAX_AGE`` > 0 with a pool), so ``CONN_MAX_AGE`` is 0 there:
closing a connection hands it back to the pool instead of to the server.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# Reads through a memory map of the file (the operating system's page cache, shared by
# every connection and process) instead of copying pages into each connection's own
# 2 MB cache: the feed's visibility query over 150 candidates at 100k videos takes
# about half the time (docs/benchmarks.md). Past this size the rest is read as before.
SQLITE_MMAP_MB = 256
SQLITE_PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
SQLITE_OPTIONS = {
    "init_command": SQLITE_PRAGMAS,
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    # Closed connections kept per process for the next request's thread
    # (``clipdeck.runtime.sqlite3``): under ASGI each request has a new thread.
    "pool_size": 8,
}


def sqlite_database(data_dir: Path, mmap_mb: int = SQLITE_MMAP_MB) -> dict:
    """The embedded default: one WAL-mode SQLite file in the data folder.

    ``mmap_mb``: how much of the file is read through a memory map (0: none).
    """
    if mmap_mb < 0:
        raise ImproperlyConfigured(f"CLIPDECK_SQLITE_MMAP_MB must be 0 or more, not {mmap_mb}.")
    options = dict(SQLITE_OPTIONS)
    options["init_command"] = f"{SQLITE_PRAGMAS} PRAGMA mmap_size={mmap_mb * 1024 * 1024};"
    return {
        "ENGINE": "clipdeck.runtime.sqlite3",
        "NAME": data_dir / "clipdeck.sqlite3",
        "OPTIONS": options,
        # Tests use Django's in-memory database; named here because test runners recognise
        # SQLite by Django's own engine name, not this one, and would otherwise make a file.
        "TEST": {"NAME": ":memory:"},
    }


def url_database(
    url: str, *, pool: bool, pool_min: int, pool_max: int, pool_timeout: int, conn_max_age: int
) -> dict:
    """The database ``url`` names; PostgreSQL gets a connection pool unless ``pool`` is off."""
    try:
        config = dj_database_url.parse(url)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
    config.setdefault("TEST", {})
    config.setdefault("OPTIONS", {})
    if config["ENGINE"] != "django.db.backends.postgresql" or not pool:
        config["CONN_MAX_AGE"] = conn_max_age
        return config
    if pool_min > pool_max:
        raise ImproperlyConfigured(
            f"CLIPDECK_DB_POOL_MIN ({pool_min}) is larger than CLIPDECK_DB_POOL_MAX ({pool_max})."
        )
    config["CONN_MAX_AGE"] = 0
    config["OPTIONS"]["pool"] = {
        "min_size": pool_min,
        "max_size": pool_max,
        "timeout": pool_timeout,
    }
    return config


# Any fixed number, the same in every process of every release: it names the lock.
MIGRATION_LOCK_ID = 0x636C6970  # "clip"


@contextlib.contextmanager
def migration_lock() -> Iterator[None]:
    """On PostgreSQL, hold a session advisory lock so that web processes starting
    together on several machines migrate one after another (the later ones find
    nothing to do). SQLite serialises writers by itself."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_ID])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_ID])
