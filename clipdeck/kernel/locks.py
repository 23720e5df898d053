"""Cell-wide "once per interval": the one way processes of a cell agree who does a thing.

Every task worker of a cell, on every machine, asks the same question ("is it
time to enqueue the retention job?"); exactly one of them should hear yes per
interval. :func:`once_per_interval` answers it with the cache's atomic ``add``
with an expiry: ``SET NX EX`` on Redis, an insert under a unique key in the
database cache. The cache is shared by the whole cell (``runtime/caches.py``).

Losing the cache (a Redis flush) only means a job may run once more than
necessary, so what is guarded this way must be idempotent.
"""

from __future__ import annotations

import math

from django.core.cache import cache
from django.utils import timezone

KEY_PREFIX = "once:"


def once_per_interval(key: str, seconds: float) -> bool:
    """True for the first caller in the cell within ``seconds`` for ``key``, False for
    every other caller until that interval has passed; never true when ``seconds <= 0``."""
    if seconds <= 0:
        return False
    claimed_at = timezone.now().isoformat()
    return cache.add(f"{KEY_PREFIX}{key}", claimed_at, timeout=math.ceil(seconds))


def release(key: str) -> None:
    """Give the interval of ``key`` back, so the next caller may claim it at once
    (the claimant could not do the work, e.g. its database was busy)."""
    cache.delete(f"{KEY_PREFIX}{key}")
