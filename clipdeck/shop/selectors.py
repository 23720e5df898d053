"""Reads of the shop: catalogs, product pages, tags, carts and orders."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet

from clipdeck.accounts.models import User
from clipdeck.kernel.errors import NotFound
from clipdeck.shop import policies
from clipdeck.shop.models import (
    CartItem,
    Merchant,
    Order,
    OrderEvent,
    OrderStatus,
    Product,
    VideoProduct,
)
from clipdeck.videos.models import Video
from clipdeck.videos.visibility import video_access


def with_catalog(products: QuerySet[Product]) -> QuerySet[Product]:
    """Products with their shop, variants and images loaded in three queries."""
    return products.select_related("merchant__user").prefetch_related("variants", "images")


def merchant_products(merchant: Merchant) -> QuerySet[Product]:
    """The merchant's whole catalog, drafts and archived included."""
    return with_catalog(merchant.products.all())


def storefront_products(merchant: Merchant, viewer: User | None) -> QuerySet[Product]:
    """What ``viewer`` may see of a shop's catalog, by title."""
    return with_catalog(
        Product.objects.visible_to(viewer).filter(merchant=merchant).order_by("title", "pk")
    )


def product_access(viewer: User | None, product_id) -> Product:
    """The product with its catalog rows if ``viewer`` may see it, else NotFound (M1–M3)."""
    return policies.product_access(viewer, product_id, queryset=with_catalog(Product.objects.all()))


def video_products(viewer: User | None, video_id) -> tuple[Video, list[Product]]:
    """The on-sale products tagged in a video ``viewer`` may see, in chip order."""
    video = video_access(viewer, video_id)
    return video, products_for_videos([video.pk], viewer).get(video.pk, [])


def products_for_videos(video_ids, viewer: User | None = None) -> dict:
    """Video id → tagged products on sale that ``viewer`` may see, for videos already checked."""
    on_sale = Product.objects.visible_to(viewer, for_sale=True)
    tags = (
        VideoProduct.objects.filter(video_id__in=video_ids, product__in=on_sale)
        .select_related("product__merchant__user")
        .prefetch_related("product__variants", "product__images")
        .order_by("video_id", "position", "pk")
    )
    found = defaultdict(list)
    for tag in tags:
        found[tag.video_id].append(tag.product)
    return dict(found)


def shoppable_videos(merchant: Merchant, viewer: User | None) -> QuerySet[Video]:
    """Videos ``viewer`` may see that tag this shop's products on sale, newest first."""
    on_sale = Product.objects.visible_to(viewer, for_sale=True)
    tagged = VideoProduct.objects.filter(product__merchant=merchant, product__in=on_sale).values(
        "video"
    )
    return (
        Video.objects.visible_to(viewer)
        .published()
        .filter(pk__in=tagged)
        .select_related("author")
        .order_by("-published_at", "-pk")
    )


def cart_items(user) -> list[CartItem]:
    """The lines of ``user``'s cart with their products and shops."""
    return list(
        CartItem.objects.filter(cart__user=user)
        .select_related("variant__product__merchant__user")
        .prefetch_related("variant__product__images")
        .order_by("added_at", "pk")
    )


def with_order_details(orders: QuerySet[Order]) -> QuerySet[Order]:
    return orders.select_related("merchant__user", "buyer").prefetch_related(
        "lines", "payments", "events"
    )


def buyer_order(user, order_id) -> Order:
    """The buyer's own order; anyone else's is NotFound."""
    order = _find(with_order_details(Order.objects.filter(buyer=user)), order_id)
    if order is None:
        raise NotFound("This order does not exist.")
    return order


def placed_orders(merchant: Merchant) -> QuerySet[Order]:
    """The shop's orders that were paid at some point (later cancelled or refunded included).

    A checkout whose card was declined leaves an order row (it answers a replay of
    the same Idempotency-Key) but no sale: the merchant never sees it.
    """
    paid = OrderEvent.objects.filter(order=OuterRef("pk"), to_status=OrderStatus.PAID)
    return merchant.orders.filter(Exists(paid))


def buyer_orders(user) -> QuerySet[Order]:
    """The buyer's own orders that were paid at some point, newest first."""
    paid = OrderEvent.objects.filter(order=OuterRef("pk"), to_status=OrderStatus.PAID)
    return with_order_details(Order.objects.filter(buyer=user).filter(Exists(paid))).order_by(
        "-created_at", "-pk"
    )


def merchant_order(merchant: Merchant, order_id) -> Order:
    """An order of this shop; another shop's order is NotFound."""
    order = _find(with_order_details(placed_orders(merchant)), order_id)
    if order is None:
        raise NotFound("This order does not exist.")
    return order


def merchant_orders(merchant: Merchant, status: str | None = None) -> QuerySet[Order]:
    orders = with_order_details(placed_orders(merchant))
    return orders.filter(status=status) if status else orders


def _find(orders: QuerySet[Order], order_id) -> Order | None:
    try:
        return orders.filter(pk=order_id).first()
    except (ValidationError, ValueError, TypeError):
        return None
