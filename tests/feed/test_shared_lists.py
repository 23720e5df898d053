"""Shared lists follow invalidations published by other processes (a task worker)."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache

from clipdeck.feed import shared

pytestmark = pytest.mark.django_db


def test_a_list_computed_before_any_invalidation_is_dropped_at_the_first_one_seen():
    shared._seen_generation.update(checked=None, value=None)
    computed = []

    def compute():
        computed.append(1)
        return [len(computed)]

    assert shared.shared_list("feed:test:fresh", compute, fresh_s=60) == [1]
    # Another process (the worker that published a video) invalidates the list.
    cache.set(shared.GENERATION_KEY, {"value": time.time(), "keys": ["feed:test:fresh"]}, None)
    shared._seen_generation["checked"] = None  # the once-a-second look is due

    assert shared.shared_list("feed:test:fresh", compute, fresh_s=60) == [2]
    assert shared.shared_list("feed:test:fresh", compute, fresh_s=60) == [2]
