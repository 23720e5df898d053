"""Keeping Python's cyclic garbage collector off the web process's long-lived objects.

A full collection walks every tracked object — the framework's, the loaded
model's, the memos' — and took 300–600 ms at 100k videos, landing on
whichever request happened to trigger it: most of the feed's p99. Once a
model version is loaded the process has built nearly everything it keeps,
so ``settle`` collects once and moves what is left out of the collector's
sight (``gc.freeze``); later collections only walk what came after.
Reference counting still frees frozen objects that are dropped (an older
model version). The test suite turns it off (``CLIPDECK_GC_FREEZE``).
"""

from __future__ import annotations

import gc

from django.conf import settings


def settle() -> None:
    """Collect once, then leave every object alive now out of later collections."""
    if not getattr(settings, "CLIPDECK_GC_FREEZE", True):
        return
    gc.collect()
    gc.freeze()
