"""A background thread in each worker: re-queues renders whose worker died, removes
their work folders, runs retention, and settles checkouts that a crash left pending."""

from __future__ import annotations

import logging
import threading

from django.db import connection

from clipdeck.privacy import retention
from clipdeck.shop.recovery import settle_stale_orders
from clipdeck.studio.leases import lease_seconds, requeue_stalled
from clipdeck.studio.leftovers import delete_dead_work_dirs

logger = logging.getLogger(__name__)


def _loop(stop: threading.Event) -> None:
    while True:
        try:
            requeue_stalled()
        except Exception:  # keep sweeping; the next round may succeed
            logger.exception("requeue of stalled renders failed")
        try:
            delete_dead_work_dirs()
        except Exception:
            logger.exception("removing work folders of dead renders failed")
        try:
            retention.tick()  # at most once per interval across the cell
        except Exception:
            logger.exception("retention run failed")
        try:
            settle_stale_orders()  # checkouts killed between reserving stock and payment
        except Exception:
            logger.exception("settling stale orders failed")
        finally:
            connection.close()
        if stop.wait(max(2.0, lease_seconds() / 2)):
            return


def start_sweeper() -> threading.Event:
    """Start sweeping now and every half lease; set the returned event to stop."""
    stop = threading.Event()
    threading.Thread(target=_loop, args=(stop,), name="render-sweeper", daemon=True).start()
    return stop
