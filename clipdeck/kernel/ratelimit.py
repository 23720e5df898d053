"""Counting failures or uses in a time window, kept in the Django cache.

Keys never hold an address: callers pass an account id or ``network_hash``.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from clipdeck.kernel.errors import TooManyRequests
from clipdeck.kernel.hashing import network_hash


def _bucket(key: str, window: int) -> tuple[str, int]:
    start = int(time.time()) // window * window
    return f"rl:{key}:{start}", start + window


def failures(key: str, *, window: int) -> int:
    """How many failures ``key`` has in the current window."""
    name, _ = _bucket(key, window)
    return int(cache.get(name, 0))


def record_failure(key: str, *, window: int) -> int:
    """Count one more failure for ``key``; returns the new count."""
    name, _ = _bucket(key, window)
    if cache.add(name, 1, timeout=window):
        return 1
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window)
        return 1


def seconds_left(window: int) -> int:
    """Seconds until the current window ends (for Retry-After)."""
    _, end = _bucket("x", window)
    return max(1, end - int(time.time()))


def reset(key: str, *, window: int) -> None:
    name, _ = _bucket(key, window)
    cache.delete(name)


def throttle(action: str, *, user_id: int | None, ip: str | None) -> None:
    """Count one ``action`` for the account and for its network, or refuse it.

    Limits come from ``settings.CLIPDECK_RATE_LIMITS[action]`` as
    ``(per user, per network, window seconds)``; 0 means no limit. Past
    either limit this raises TooManyRequests (429 with Retry-After) and
    counts nothing.
    """
    per_user, per_network, window = settings.CLIPDECK_RATE_LIMITS[action]
    keys = []
    if per_user and user_id is not None:
        keys.append((f"{action}:user:{user_id}", per_user))
    if per_network:
        keys.append((f"{action}:net:{network_hash(ip)}", per_network))
    if any(failures(key, window=window) >= limit for key, limit in keys):
        wait = seconds_left(window)
        raise TooManyRequests(
            f"Too many {action}s for now. Try again in {wait // 60 + 1} minutes.",
            code="rate_limited",
            retry_after=wait,
        )
    for key, _ in keys:
        record_failure(key, window=window)
