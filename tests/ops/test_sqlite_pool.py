"""SQLite connections reused across request threads (``clipdeck.runtime.sqlite3``)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import connections
from django.db.utils import ConnectionHandler

from clipdeck.runtime.databases import sqlite_database
from clipdeck.runtime.sqlite3 import base

pytestmark = pytest.mark.django_db


def _handler(tmp_path, pool_size=2) -> ConnectionHandler:
    config = sqlite_database(tmp_path)
    config["OPTIONS"]["pool_size"] = pool_size
    return ConnectionHandler({"default": config})


def _in_a_thread(handler: ConnectionHandler, work):
    """Run ``work(connection)`` in a new thread, as an ASGI request would, then close."""
    found = {}

    def run():
        connection = handler["default"]
        found["value"] = work(connection)
        connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return found["value"]


def test_a_closed_connection_is_reused_by_the_next_thread(tmp_path):
    handler = _handler(tmp_path)

    def raw(connection):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return connection.connection

    first = _in_a_thread(handler, raw)
    second = _in_a_thread(handler, raw)

    assert first is second
    assert first.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    base.close_pooled()


def test_an_open_transaction_is_rolled_back_before_reuse(tmp_path):
    handler = _handler(tmp_path)

    def write_without_commit(connection):
        connection.ensure_connection()
        raw = connection.connection
        raw.execute("CREATE TABLE IF NOT EXISTS t (x)")
        raw.execute("BEGIN")
        raw.execute("INSERT INTO t VALUES (1)")
        return raw.in_transaction

    assert _in_a_thread(handler, write_without_commit) is True

    def count(connection):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM t")
            return cursor.fetchone()[0], connection.connection.in_transaction

    assert _in_a_thread(handler, count) == (0, False)
    base.close_pooled()


def test_a_connection_with_foreign_keys_off_is_closed_not_reused(tmp_path):
    handler = _handler(tmp_path)

    def keys_off(connection):
        connection.ensure_connection()
        connection.connection.execute("PRAGMA foreign_keys = OFF")
        return connection.connection

    def raw(connection):
        connection.ensure_connection()
        return connection.connection

    assert _in_a_thread(handler, keys_off) is not _in_a_thread(handler, raw)
    base.close_pooled()


def test_the_pool_keeps_at_most_its_size(tmp_path):
    settings = _handler(tmp_path, pool_size=1).settings
    several = [ConnectionHandler(settings)["default"] for _ in range(3)]
    for connection in several:
        connection.ensure_connection()
    for connection in several:
        connection.close()

    assert len(base._pools[several[0]._pool_key()]) == 1
    base.close_pooled()


def test_the_test_database_is_not_pooled():
    default = connections["default"]
    if default.vendor != "sqlite":
        pytest.skip("the test database is PostgreSQL here (DATABASE_URL)")
    assert isinstance(default, base.DatabaseWrapper)
    assert default.is_in_memory_db() and not default._pooling()


def test_the_database_file_is_read_through_a_memory_map(tmp_path):
    handler = ConnectionHandler({"default": sqlite_database(tmp_path, mmap_mb=64)})

    def mmap_size(connection):
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size")
            return cursor.fetchone()[0]

    assert _in_a_thread(handler, mmap_size) == 64 * 1024 * 1024
    off = ConnectionHandler({"default": sqlite_database(tmp_path / "off", mmap_mb=0)})
    (tmp_path / "off").mkdir()
    assert _in_a_thread(off, mmap_size) == 0
    base.close_pooled()


def test_a_negative_memory_map_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="CLIPDECK_SQLITE_MMAP_MB"):
        sqlite_database(Path("/nonexistent"), mmap_mb=-1)
