"""Retrying a database operation that failed only because the database was busy.

SQLite answers "database is locked" when another connection holds the write
lock for longer than the busy timeout (a long import, a backup); PostgreSQL
never does. Such a failure is transient: :func:`retry_when_locked` runs the
operation again after a short, doubling pause (with jitter), a few times,
and re-raises anything else at once.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError

log = logging.getLogger(__name__)

T = TypeVar("T")

LOCKED_MESSAGES = ("database is locked", "database table is locked", "database is busy")


def is_locked(error: BaseException) -> bool:
    """Whether ``error`` says only that the database was busy."""
    return isinstance(error, OperationalError) and any(
        text in str(error).lower() for text in LOCKED_MESSAGES
    )


def backoff_delays(attempts: int, first: float, most: float) -> list[float]:
    """The pauses between ``attempts`` tries: doubling from ``first``, at most ``most``."""
    return [min(first * 2**n, most) for n in range(max(attempts - 1, 0))]


def retry_when_locked(
    operation: Callable[[], T],
    *,
    attempts: int = 6,
    first_delay: float = 0.1,
    max_delay: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``operation()``, tried up to ``attempts`` times while the database is locked.

    Between tries it waits 0.1, 0.2, 0.4 … seconds (at most ``max_delay``, plus up
    to 10 % jitter so waiting processes do not retry in step). The last failure,
    or any error that is not a lock, is raised.
    """
    delays = backoff_delays(attempts, first_delay, max_delay)
    for delay in delays:
        try:
            return operation()
        except OperationalError as error:
            if not is_locked(error):
                raise
            log.warning("database is locked; retrying in %.2f s", delay)
            sleep(delay * (1 + random.random() / 10))  # noqa: S311 (jitter, not a secret)
    return operation()
