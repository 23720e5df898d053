"""Checkout: an idempotent request turns one shop's cart items into a paid order.

1. The ``Idempotency-Key`` is looked up first: the same key with the same
   payload returns the order it made (HTTP 200), with a different payload it
   is an error (422); while the first request still runs it is 409.
2. In one transaction the order and its lines are written and stock is
   reserved with conditional UPDATEs (``stock.reserve``); one sold-out line
   rolls everything back and answers 409, and the key stays unused.
3. The provider is called after that transaction commits, so no database lock
   is held during a network call. A failed payment cancels the order and
   releases the reservation; replaying its key repeats the same failure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from clipdeck.kernel.errors import Conflict, InvalidInput, Kind
from clipdeck.kernel.hashing import keyed_hash
from clipdeck.shop import money, orders, sealed_fields, stock
from clipdeck.shop.models import (
    CartItem,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentStatus,
    ProductStatus,
)
from clipdeck.shop.payments import provider_for
from clipdeck.shop.payments.base import PaymentProvider, PaymentResult, error_for

MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class CheckoutOutcome:
    order: Order
    created: bool  # False: an earlier request with the same key made this order


def checkout(
    *, buyer, idempotency_key: str, shipping_address: dict, payment: dict, shop: str = ""
) -> CheckoutOutcome:
    """Place and pay for an order of ``buyer``'s cart items from one shop."""
    key = _checked_key(idempotency_key)
    fingerprint = _fingerprint(shipping_address, payment, shop)
    earlier = _earlier_order(buyer, key, fingerprint)
    if earlier is not None:
        return CheckoutOutcome(order=earlier, created=False)
    provider = provider_for(payment.get("method", ""))
    provider.validate(payment)
    try:
        items = _items_to_buy(buyer, shop)
        _check_ships_to(items[0].variant.product.merchant, shipping_address)
        order = _place_order(buyer, key, fingerprint, items, shipping_address)
    except (InvalidInput, IntegrityError):
        # The same key may be in flight in a concurrent request, which then owns the
        # order (IntegrityError), or has already paid and emptied the cart.
        earlier = _earlier_order(buyer, key, fingerprint)
        if earlier is None:
            raise
        return CheckoutOutcome(order=earlier, created=False)
    _pay(order, provider, payment)
    return CheckoutOutcome(order=order, created=True)


def _checked_key(key: str) -> str:
    key = (key or "").strip()
    if not key:
        raise InvalidInput(
            "Send an Idempotency-Key header (a fresh random value per checkout attempt) "
            "so that a retried request can never charge twice.",
            code="idempotency_key_required",
            field="Idempotency-Key",
        )
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(
            f"The Idempotency-Key may be at most {MAX_KEY_LENGTH} characters.",
            code="idempotency_key_invalid",
            field="Idempotency-Key",
        )
    return key


def _fingerprint(shipping_address: dict, payment: dict, shop: str) -> str:
    # Keyed, so the stored hash of a payload with a card number cannot be brute-forced.
    canonical = json.dumps([shipping_address, payment, shop], sort_keys=True, default=str)
    return keyed_hash("checkout-request", canonical)


def _earlier_order(buyer, key: str, fingerprint: str) -> Order | None:
    order = (
        Order.objects.select_related("merchant__user", "buyer")
        .filter(buyer=buyer, idempotency_key=key)
        .first()
    )
    if order is None:
        return None
    if order.request_hash != fingerprint:
        raise InvalidInput(
            "This Idempotency-Key was already used for a different checkout. "
            "Use a new key for a new attempt.",
            code="idempotency_key_reused",
            field="Idempotency-Key",
            kind=Kind.UNPROCESSABLE,
        )
    if order.status == OrderStatus.PENDING:
        raise Conflict(
            "A checkout with this Idempotency-Key is still being processed; try again shortly.",
            code="checkout_in_progress",
        )
    failed = order.payments.filter(status=PaymentStatus.FAILED).last()
    if order.status == OrderStatus.CANCELLED and failed is not None:
        raise error_for(_result_of(failed))
    return order


def _result_of(payment: Payment) -> PaymentResult:
    return PaymentResult(
        ok=False,
        declined=payment.error_code != "processing_error",
        error_code=payment.error_code,
        message=payment.error_message,
    )


def _items_to_buy(buyer, shop: str) -> list[CartItem]:
    items = list(
        CartItem.objects.filter(cart__user=buyer)
        .select_related("variant__product__merchant__user")
        .order_by("variant_id")
    )
    shops = {item.variant.product.merchant.user.handle for item in items}
    if shop:
        items = [item for item in items if item.variant.product.merchant.user.handle == shop]
    elif len(shops) > 1:
        raise InvalidInput(
            f"Your cart has items from {len(shops)} shops; choose one to check out "
            f"({', '.join(sorted(shops))}).",
            code="choose_shop",
            field="shop",
        )
    if not items:
        raise InvalidInput("Your cart is empty.", code="cart_empty")
    return items


def _check_ships_to(merchant, address: dict) -> None:
    country = (address.get("country") or "").upper()
    if merchant.shipping_countries and country not in merchant.shipping_countries:
        raise InvalidInput(
            f"{merchant.name} does not ship to {country}; it ships to "
            f"{', '.join(merchant.shipping_countries)}.",
            code="no_shipping_to_country",
            field="shipping_address.country",
        )


def _out_of_stock(item: CartItem) -> Conflict:
    variant = item.variant
    variant.refresh_from_db(fields=["stock"])
    name = variant.product.title
    if variant.title != "Default Title":
        name = f"{name} ({variant.title})"
    left = max(variant.stock, 0)
    message = (
        f"Sorry, {name} is sold out."
        if left == 0
        else f"Only {left} of {name} left; lower the quantity in your cart."
    )
    return Conflict(message, code="out_of_stock", field="cart")


@transaction.atomic
def _place_order(buyer, key, fingerprint, items: list[CartItem], address: dict) -> Order:
    merchant = items[0].variant.product.merchant
    subtotal = money.order_total([(item.variant.price, item.quantity) for item in items])
    order = Order.objects.create(
        buyer=buyer,
        merchant=merchant,
        currency=merchant.currency,
        subtotal=subtotal,
        total=subtotal,
        shipping_address=sealed_fields.seal_shipping_address(buyer, address),
        idempotency_key=key,
        request_hash=fingerprint,
    )
    for item in items:  # in variant order, so concurrent checkouts lock rows alike
        product = item.variant.product
        if product.status != ProductStatus.ACTIVE or not product.published:
            raise Conflict(
                f"{product.title} is no longer for sale; remove it from your cart.",
                code="product_unavailable",
                field="cart",
            )
        if not stock.reserve(item.variant_id, item.quantity):
            raise _out_of_stock(item)
        OrderLine.objects.create(
            order=order,
            product=product,
            variant=item.variant,
            title=product.title,
            variant_title="" if item.variant.title == "Default Title" else item.variant.title,
            sku=item.variant.sku,
            unit_price=item.variant.price,
            quantity=item.quantity,
            reserved=item.variant.inventory_tracked,
            source_video_id=item.source_video_id,
        )
    OrderEvent.objects.create(order=order, to_status=OrderStatus.PENDING, note="Order placed.")
    return order


def _pay(order: Order, provider: PaymentProvider, details: dict) -> None:
    result = provider.authorize(
        amount=order.total,
        currency=order.currency,
        details=details,
        idempotency_key=f"order-{order.pk}",
    )
    payment = Payment.objects.create(
        order=order,
        provider=provider.name,
        reference=result.reference,
        status=PaymentStatus.AUTHORIZED if result.ok else PaymentStatus.FAILED,
        amount=order.total,
        currency=order.currency,
        card_brand=result.card_brand,
        card_last4=result.card_last4,
        error_code=result.error_code,
        error_message=result.message[:255],
    )
    if result.ok:
        result = provider.capture(
            reference=result.reference, amount=order.total, currency=order.currency
        )
    if not result.ok:
        _fail(order, payment, provider, result)
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.CAPTURED)
    orders.order_mark_paid(order=order)


def _fail(order: Order, payment: Payment, provider, result: PaymentResult) -> None:
    if payment.status == PaymentStatus.AUTHORIZED:
        provider.void(reference=payment.reference)
    payment.status = PaymentStatus.FAILED
    payment.error_code = result.error_code
    payment.error_message = result.message[:255]
    payment.save(update_fields=["status", "error_code", "error_message"])
    orders.order_payment_failed(order=order, reason=result.message or result.error_code)
    raise error_for(result)
