"""Orders left ``pending`` by a crash between reserving stock and recording the payment.

Checkout reserves stock, commits, then talks to the payment provider; a process
killed in between leaves a pending order holding stock. After
``CLIPDECK_SHOP_PENDING_TIMEOUT_SECONDS`` the worker settles it from what the
payment rows say:

- captured: the money was taken, so the order is paid;
- authorised but not captured: the authorisation is voided and the order cancelled;
- failed or no payment at all: the order is cancelled.

Cancelling releases the reserved stock, so nothing stays off sale for ever.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from clipdeck.kernel.errors import Conflict
from clipdeck.shop import orders
from clipdeck.shop.models import Order, OrderStatus, PaymentStatus
from clipdeck.shop.payments import providers

logger = logging.getLogger(__name__)
DEFAULT_TIMEOUT_S = 900


def settle_stale_orders(*, now=None) -> int:
    """Settle every pending order older than the timeout; how many were settled."""
    timeout = getattr(settings, "CLIPDECK_SHOP_PENDING_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_S)
    cutoff = (now or timezone.now()) - timedelta(seconds=timeout)
    settled = 0
    stale = Order.objects.filter(status=OrderStatus.PENDING, created_at__lt=cutoff)
    for order in stale.order_by("created_at")[:500]:
        try:
            _settle(order)
        except Conflict:
            continue  # another worker, or the checkout itself, got there first
        settled += 1
    return settled


def _settle(order: Order) -> None:
    payments = list(order.payments.order_by("-created_at"))
    if any(p.status == PaymentStatus.CAPTURED for p in payments):
        orders.order_mark_paid(order=order)
        logger.warning("order %s: payment was captured before a crash; marked paid", order.pk)
        return
    for payment in payments:
        if payment.status == PaymentStatus.AUTHORIZED:
            provider = providers().get(payment.provider)
            if provider is not None:
                provider.void(reference=payment.reference)
            payment.status = PaymentStatus.FAILED
            payment.save(update_fields=["status"])
    orders.order_payment_failed(order=order, reason="the payment did not complete in time")
    logger.warning("order %s: payment never completed; cancelled, stock released", order.pk)
