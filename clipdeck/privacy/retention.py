"""Retention jobs: delete what the data inventory says is no longer kept.

:func:`run` calls, in one pass, the pruner every app registered with its
personal data (``clipdeck.kernel.personal_data.register``): feed events past
90 days, shares past 90 days, expired personal-data exports, expired browser
sessions (Django's ``clearsessions``), API tokens idle for
``CLIPDECK_API_TOKEN_IDLE_DAYS``, expired cache rows (rate-limit counters
keyed by network hashes) when the cache is the database, transparency counts
older than a year and heartbeats of workers silent for a day. ``clipdeck
retention run`` runs it; the ``privacy.retention`` job (``privacy/jobs.py``)
runs it once per ``CLIPDECK_RETENTION_INTERVAL_SECONDS`` across the whole cell.
"""

from __future__ import annotations

import logging

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils import timezone

from clipdeck.kernel.personal_data import pruners

logger = logging.getLogger(__name__)


def run() -> dict[str, int]:
    """Delete everything past its retention; how many of each kind went."""
    now = timezone.now()
    counts: dict[str, int] = {}
    for prune in pruners():
        counts.update(prune(now))
    logger.info("retention run: %s", counts)
    return counts


def cache_prune() -> int:
    """Delete expired rows of a database cache (Redis expires keys itself); how many."""
    backend = caches["default"]
    if not isinstance(backend, DatabaseCache):
        return 0
    connection = connections[router.db_for_write(backend.cache_model_class)]
    table = connection.ops.quote_name(backend.cache_model_class._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [now])  # noqa: S608
        return cursor.rowcount
