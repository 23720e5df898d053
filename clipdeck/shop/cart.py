"""The shopper's cart: one per account, one line per variant."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from clipdeck.kernel.errors import Conflict, InvalidInput, Kind, NotFound
from clipdeck.shop import stock, tags
from clipdeck.shop.models import Cart, CartItem, Product, Variant
from clipdeck.shop.money import MAX_LINE_QUANTITY
from clipdeck.videos.visibility import video_access

MAX_QUANTITY = MAX_LINE_QUANTITY


def cart_of(user) -> Cart:
    """The user's cart, created on first use."""
    cart, _ = Cart.objects.get_or_create(user=user)
    return cart


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidInput(
            f"Quantity must be between 1 and {MAX_QUANTITY}.",
            field="quantity",
            kind=Kind.UNPROCESSABLE,
        )


def _check_stock(variant: Variant, quantity: int) -> None:
    if not stock.can_sell(variant, quantity):
        left = max(variant.stock, 0)
        message = "This item is sold out." if left == 0 else f"Only {left} left in stock."
        raise Conflict(message, code="out_of_stock", field="quantity")


def _variant_for_sale(user, product_id: int, variant_id: int) -> Variant:
    """The variant of a product on sale that ``user`` may see (M1–M3), else NotFound."""
    product = Product.objects.visible_to(user, for_sale=True).filter(pk=product_id).first()
    variant = product and product.variants.filter(pk=variant_id).first()
    if not variant:
        raise NotFound("This product or variant does not exist or is not for sale.")
    return variant


@transaction.atomic
def cart_add(
    *,
    user,
    product_id: int,
    variant_id: int,
    quantity: int = 1,
    video_id=None,
    buy_now: bool = False,
) -> CartItem:
    """Put ``quantity`` more of a variant in the cart, crediting ``video_id`` if given.

    With ``buy_now`` the line holds exactly ``quantity`` (what "Buy now" shows), so an
    earlier "Add to cart" of the same variant is not bought twice. A video's add-to-cart
    counter counts cart lines it brought, once each, however often the line is topped up.
    """
    _check_quantity(quantity)
    variant = _variant_for_sale(user, product_id, variant_id)
    video = video_access(user, video_id) if video_id else None
    cart = cart_of(user)
    item = CartItem.objects.select_for_update().filter(cart=cart, variant=variant).first()
    total = quantity if buy_now or item is None else quantity + item.quantity
    _check_quantity(total)
    _check_stock(variant, total)
    if item is None:
        item = CartItem.objects.create(
            cart=cart, variant=variant, quantity=quantity, source_video=video
        )
        if video is not None:
            tags.count_add_to_cart(video=video, product_id=product_id)
    else:
        item.quantity = total
        item.save(update_fields=["quantity"])
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
    return item


def _own_item(user, item_id: int) -> CartItem:
    item = CartItem.objects.select_related("variant").filter(pk=item_id, cart__user=user).first()
    if item is None:
        raise NotFound("This item is not in your cart.")
    return item


def cart_item_update(*, user, item_id: int, quantity: int) -> CartItem:
    """Set the quantity of a line of the cart."""
    _check_quantity(quantity)
    item = _own_item(user, item_id)
    _check_stock(item.variant, quantity)
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    return item


def cart_item_remove(*, user, item_id: int) -> None:
    """Take a line out of the cart."""
    _own_item(user, item_id).delete()
