"""The shopper's side: cart, checkout and own orders."""

from __future__ import annotations

from ninja import Header, Router, Status

from clipdeck.kernel.auth import user_auth
from clipdeck.shop import cart, checkout, presenters, selectors
from clipdeck.shop.schemas import (
    CartItemIn,
    CartItemPatch,
    CartOut,
    CheckoutIn,
    CheckoutOut,
    OrderOut,
)

router = Router()
IDEMPOTENCY_KEY = Header("", alias="Idempotency-Key")


def _cart(user) -> dict:
    return presenters.cart_out(selectors.cart_items(user))


@router.get("/cart", response=CartOut, auth=user_auth, operation_id="cart_get", summary="Your cart")
def cart_get(request):
    return _cart(request.auth)


@router.post(
    "/cart/items",
    response={201: CartOut},
    auth=user_auth,
    operation_id="cart_item_add",
    summary="Add a product variant to your cart",
)
def cart_item_add(request, payload: CartItemIn):
    cart.cart_add(user=request.auth, **payload.dict())
    return Status(201, _cart(request.auth))


@router.patch(
    "/cart/items/{item_id}",
    response=CartOut,
    auth=user_auth,
    operation_id="cart_item_update",
    summary="Change the quantity of a cart line",
)
def cart_item_update(request, item_id: int, payload: CartItemPatch):
    cart.cart_item_update(user=request.auth, item_id=item_id, quantity=payload.quantity)
    return _cart(request.auth)


@router.delete(
    "/cart/items/{item_id}",
    response=CartOut,
    auth=user_auth,
    operation_id="cart_item_remove",
    summary="Remove a line from your cart",
)
def cart_item_remove(request, item_id: int):
    cart.cart_item_remove(user=request.auth, item_id=item_id)
    return _cart(request.auth)


@router.post(
    "/checkout",
    response={200: CheckoutOut, 201: CheckoutOut},
    auth=user_auth,
    operation_id="checkout",
    summary="Buy the cart (one shop); needs an Idempotency-Key header",
    description="201 with a new order; 200 with the same order when the Idempotency-Key "
    "was already used with the same payload; 422 when it was used with another payload; "
    "409 when an item is out of stock; 402 when the card is declined.",
)
def checkout_create(request, payload: CheckoutIn, idempotency_key: str = IDEMPOTENCY_KEY):
    outcome = checkout.checkout(
        buyer=request.auth,
        idempotency_key=idempotency_key,
        shipping_address=payload.shipping_address.dict(),
        payment=payload.payment.dict(),
        shop=payload.shop,
    )
    order = selectors.buyer_order(request.auth, outcome.order.pk)
    return Status(201 if outcome.created else 200, {"order": presenters.order_out(order)})


@router.get(
    "/orders/{order_id}",
    response=OrderOut,
    auth=user_auth,
    operation_id="order_get",
    summary="Your order (only its buyer sees it here)",
)
def order_get(request, order_id: str):
    return presenters.order_out(selectors.buyer_order(request.auth, order_id))
