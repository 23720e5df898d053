"""Counting a person once: one counted view, like or share per viewer and video per window.

Public counters (views, completions, shares, product taps) shape what the feed
promotes, so one account or one network replaying an action must not move
them. :func:`first_in_window` answers True the first time an actor does
``counter`` on ``subject`` in the window and False after; the cache key is a
keyed hash, so it names neither the person nor their network.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from clipdeck.kernel.hashing import keyed_hash, network_hash


def actor_of(*, user_id: int | None, ip: str | None) -> str:
    """Who counts: the account when signed in, else the caller's network (/24 or /48)."""
    return f"user:{user_id}" if user_id is not None else f"net:{network_hash(ip)}"


def first_in_window(counter: str, *, actor: str, subject: str, window: int | None = None) -> bool:
    """True the first time ``actor`` counts ``subject`` on ``counter`` in the window."""
    seconds = window or settings.CLIPDECK_COUNT_ONCE_SECONDS
    key = "once:" + keyed_hash("count-once", f"{counter}|{actor}|{subject}")
    return bool(cache.add(key, 1, timeout=seconds))
