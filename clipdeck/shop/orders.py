"""Order states and the service functions that move between them.

    pending ──► paid ──► fulfilled ──► refunded
       │          ├────► cancelled (refunds the payment, restocks)
       │          └────► refunded  (refunds the payment, restocks)
       └──► cancelled (payment failed; the reservation is released)

Each transition is one conditional UPDATE on the current status (so two
concurrent actions cannot both apply) plus an ``OrderEvent`` audit row; a
transition the order's state does not allow answers 409 with the reason.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from clipdeck.kernel.errors import Conflict
from clipdeck.shop import notifications, stock
from clipdeck.shop.models import (
    CartItem,
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentStatus,
)
from clipdeck.shop.money import format_money
from clipdeck.shop.payments import provider_for
from clipdeck.shop.payments.base import error_for

S = OrderStatus
ALLOWED = {
    S.PENDING: {S.PAID, S.CANCELLED},
    S.PAID: {S.FULFILLED, S.CANCELLED, S.REFUNDED},
    S.FULFILLED: {S.REFUNDED},
}
WHY_NOT = {
    S.PENDING: "its payment is still being processed",
    S.PAID: "it is paid and not yet shipped",
    S.FULFILLED: "it has been shipped",
    S.CANCELLED: "it was cancelled",
    S.REFUNDED: "it was refunded",
}
VERBS = {S.PAID: "paid", S.FULFILLED: "fulfilled", S.CANCELLED: "cancelled", S.REFUNDED: "refunded"}


def _refuse(order: Order, to: str) -> Conflict:
    return Conflict(
        f"This order can't be {VERBS[to]}: {WHY_NOT[S(order.status)]}.",
        code="invalid_transition",
    )


def check_transition(order: Order, to: str) -> None:
    """Raise 409 if ``order`` may not move to ``to`` from its current state."""
    if to not in ALLOWED.get(order.status, set()):
        raise _refuse(order, to)


@transaction.atomic
def _transition(order: Order, to: str, *, actor=None, note: str = "") -> Order:
    check_transition(order, to)
    now = timezone.now()
    moved = Order.objects.filter(pk=order.pk, status=order.status).update(status=to, updated_at=now)
    if not moved:
        order.refresh_from_db(fields=["status", "updated_at"])
        raise _refuse(order, to)
    OrderEvent.objects.create(
        order=order, from_status=order.status, to_status=to, actor=actor, note=note[:255]
    )
    order.status, order.updated_at = to, now
    return order


def _release_stock(order: Order) -> None:
    for line in order.lines.filter(reserved=True, variant__isnull=False):
        stock.release(line.variant_id, line.quantity)
    order.lines.update(reserved=False)


def order_mark_paid(*, order: Order) -> Order:
    """pending → paid: the payment was captured. Empties the bought items from the cart."""
    with transaction.atomic():
        _transition(order, S.PAID, note="Payment captured.")
        bought = order.lines.values("variant_id")
        CartItem.objects.filter(cart__user=order.buyer_id, variant__in=bought).delete()
    total = format_money(order.total, order.currency)
    notifications.notify(
        recipient=order.buyer,
        kind="order_confirmed",
        subject=f"Your order from {order.merchant.name} is confirmed",
        body=f"Thank you! We received your payment of {total}. Order {order.pk}.",
        order=order,
    )
    notifications.notify(
        recipient=order.merchant.user,
        kind="merchant_new_order",
        subject=f"New order: {total}",
        body=f"Order {order.pk} is paid and ready to ship.",
        order=order,
    )
    return order


@transaction.atomic
def order_payment_failed(*, order: Order, reason: str) -> Order:
    """pending → cancelled: the payment failed; the reserved stock goes back on sale."""
    _transition(order, S.CANCELLED, note=f"Payment failed: {reason}")
    _release_stock(order)
    return order


def order_fulfil(*, order: Order, actor) -> Order:
    """paid → fulfilled: the merchant shipped the order."""
    _transition(order, S.FULFILLED, actor=actor, note="Shipped by the merchant.")
    notifications.notify(
        recipient=order.buyer,
        kind="order_shipped",
        subject=f"Your order from {order.merchant.name} is on its way",
        body=f"Order {order.pk} has shipped.",
        order=order,
    )
    return order


def _refund_payment(order: Order) -> None:
    payment = order.payments.filter(status=PaymentStatus.CAPTURED).last()
    if payment is None:
        return
    result = provider_for(payment.provider).refund(
        reference=payment.reference,
        amount=payment.amount,
        currency=payment.currency,
        idempotency_key=f"refund-{order.pk}",
    )
    if not result.ok:
        raise error_for(result)
    Payment.objects.filter(pk=payment.pk).update(
        status=PaymentStatus.REFUNDED, updated_at=timezone.now()
    )


def _refund_and_move(order: Order, to: str, *, actor, note: str, restock: bool) -> Order:
    # The provider is called outside any transaction; its idempotency key makes a
    # second refund (a concurrent or retried request) a no-op there.
    check_transition(order, to)
    _refund_payment(order)
    with transaction.atomic():
        _transition(order, to, actor=actor, note=note)
        if restock:
            _release_stock(order)
    notifications.notify(
        recipient=order.buyer,
        kind=f"order_{to}",
        subject=f"Your order from {order.merchant.name} was {VERBS[to]}",
        body=f"Order {order.pk}: {format_money(order.total, order.currency)} is refunded "
        "to your card.",
        order=order,
    )
    return order


def order_cancel(*, order: Order, actor) -> Order:
    """paid → cancelled: the merchant can't ship; the buyer is refunded, stock restored."""
    return _refund_and_move(
        order, S.CANCELLED, actor=actor, note="Cancelled by the merchant.", restock=True
    )


def order_refund(*, order: Order, actor) -> Order:
    """paid or fulfilled → refunded; stock comes back only if nothing was shipped."""
    return _refund_and_move(
        order,
        S.REFUNDED,
        actor=actor,
        note="Refunded by the merchant.",
        restock=order.status == S.PAID,
    )
