"""Retention jobs: delete what the data inventory says is no longer kept.

:func:`run` deletes, in one pass, feed events past 90 days (the feed's own
``events_prune``), expired personal-data exports, expired browser sessions
(Django's ``clearsessions``), API tokens idle for
``CLIPDECK_API_TOKEN_IDLE_DAYS``, expired cache rows (rate-limit counters
keyed by network hashes) when the cache is the database, and transparency
counts older than a year. ``clipdeck retention run`` runs it; every task worker
calls :func:`tick`, which runs it at most once per
``CLIPDECK_RETENTION_INTERVAL_SECONDS`` across the whole cell.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connections, router
from django.utils import timezone

logger = logging.getLogger(__name__)
TICK_KEY = "retention:last-run"


def run() -> dict[str, int]:
    """Delete everything past its retention; how many of each kind went."""
    from clipdeck.feed.services import events_prune
    from clipdeck.privacy.export import exports_prune
    from clipdeck.privacy.transparency import counts_prune

    counts = {
        "feed_events": events_prune(),
        "exports": exports_prune(),
        "sessions": sessions_prune(),
        "api_tokens": api_tokens_prune(),
        "cache_entries": cache_prune(),
        "transparency_counts": counts_prune(),
    }
    logger.info("retention run: %s", counts)
    return counts


def tick() -> dict[str, int] | None:
    """Run :func:`run` if no worker of this cell did so within the interval."""
    interval = settings.CLIPDECK_RETENTION_INTERVAL_SECONDS
    if interval <= 0 or not cache.add(TICK_KEY, timezone.now().isoformat(), timeout=interval):
        return None
    return run()


def sessions_prune() -> int:
    """End browser sessions past their expiry (``clearsessions``); how many."""
    expired = Session.objects.filter(expire_date__lt=timezone.now()).count()
    call_command("clearsessions")
    return expired


def api_tokens_prune() -> int:
    """Delete API tokens not used for ``CLIPDECK_API_TOKEN_IDLE_DAYS``; how many."""
    from clipdeck.accounts.models import ApiToken

    cutoff = timezone.now() - timedelta(days=settings.CLIPDECK_API_TOKEN_IDLE_DAYS)
    idle = ApiToken.objects.filter(last_used_on__lt=cutoff.date()) | ApiToken.objects.filter(
        last_used_on__isnull=True, created_at__lt=cutoff
    )
    deleted, _ = idle.delete()
    return deleted


def cache_prune() -> int:
    """Delete expired rows of a database cache (Redis expires keys itself); how many."""
    backend = caches["default"]
    if not isinstance(backend, DatabaseCache):
        return 0
    connection = connections[router.db_for_write(backend.cache_model_class)]
    table = connection.ops.quote_name(backend._table)
    now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [now])  # noqa: S608
        return cursor.rowcount
