"""A checkout killed between reserving stock and recording payment is settled later."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clipdeck.shop import checkout, orders
from clipdeck.shop.models import Order, OrderStatus, Payment, PaymentStatus
from clipdeck.shop.recovery import settle_stale_orders
from tests.shop.factories import product_with_stock
from tests.shop.test_checkout_api import fill_cart, pay, stock_of

pytestmark = pytest.mark.django_db(transaction=True)
LATER = timedelta(hours=1)


class Crash(BaseException):
    """Stands in for the process dying: nothing in the request handles it."""


def crash(*args, **kwargs):
    raise Crash


def crashed_checkout(api, user, variant, monkeypatch, where) -> Order:
    fill_cart(api, user, variant, 2)
    monkeypatch.setattr(*where, crash)
    with pytest.raises(Crash):
        pay(api, user)
    monkeypatch.undo()
    return Order.objects.get()


def test_a_crash_before_payment_cancels_the_order_and_frees_the_stock(
    api, user, merchant, monkeypatch
):
    variant = product_with_stock(merchant, stock=5)
    order = crashed_checkout(api, user, variant, monkeypatch, (checkout, "_pay"))
    assert order.status == OrderStatus.PENDING and stock_of(variant) == 3

    assert settle_stale_orders() == 0  # not stale yet: the checkout may still be running
    assert settle_stale_orders(now=timezone.now() + LATER) == 1

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert stock_of(variant) == 5
    assert settle_stale_orders(now=timezone.now() + LATER) == 0


def test_a_crash_after_capture_marks_the_order_paid_and_keeps_the_sale(
    api, user, merchant, monkeypatch
):
    variant = product_with_stock(merchant, stock=5)
    order = crashed_checkout(api, user, variant, monkeypatch, (orders, "order_mark_paid"))
    assert Payment.objects.get(order=order).status == PaymentStatus.CAPTURED

    assert settle_stale_orders(now=timezone.now() + LATER) == 1

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert stock_of(variant) == 3
