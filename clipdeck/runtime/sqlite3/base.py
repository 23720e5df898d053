"""Django's SQLite backend, handing closed connections to the next thread instead of closing them.

Under ASGI every request runs in a thread of its own, so Django opens a new
SQLite connection for each (``CONN_MAX_AGE`` keeps a connection per thread,
and the thread is gone after the request). Opening one costs about as much
CPU as a whole ``/healthz`` answer: the connect, the functions Django
registers, four PRAGMAs, and the schema parse of the first query. This
backend keeps up to ``OPTIONS["pool_size"]`` closed connections of a file
database per process and gives them to the next thread that connects:

- a connection goes back only when it is idle: not in an atomic block, with
  no transaction open (an open one is rolled back), and with foreign-key
  checks on, as Django left it;
- the process that opened it is the one that reuses it (a forked child opens
  its own);
- in-memory databases (tests) are never pooled; Django never closes them.

Everything else — per-thread ownership, ``CONN_MAX_AGE``, health checks — is
Django's: to the rest of the code a pooled connection is a new one.
"""

from __future__ import annotations

import os
import threading

from django.db.backends.sqlite3 import base

POOL_OPTION = "pool_size"

_pools: dict[tuple[int, str], list] = {}
_lock = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        self._pool_size = int(params.pop(POOL_OPTION, 0) or 0)
        return params

    def _pool_key(self) -> tuple[int, str]:
        return os.getpid(), str(self.settings_dict["NAME"])

    def _pooling(self) -> bool:
        return getattr(self, "_pool_size", 0) > 0 and not self.is_in_memory_db()

    def get_new_connection(self, conn_params):
        if self._pooling():
            with _lock:
                pool = _pools.get(self._pool_key())
                if pool:
                    return pool.pop()
        return super().get_new_connection(conn_params)

    def _close(self):
        if self.connection is not None and self._pooling() and not self.in_atomic_block:
            connection = self.connection
            try:
                if connection.in_transaction:
                    connection.rollback()
                idle = connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
            except Exception:  # a broken connection is closed, not reused
                idle = False
            if idle:
                with _lock:
                    pool = _pools.setdefault(self._pool_key(), [])
                    if len(pool) < self._pool_size:
                        pool.append(connection)
                        return
        super()._close()


def close_pooled() -> None:
    """Close every pooled connection of this process (shutdown, tests)."""
    with _lock:
        mine = [key for key in _pools if key[0] == os.getpid()]
        connections = [c for key in mine for c in _pools.pop(key)]
    for connection in connections:
        connection.close()
