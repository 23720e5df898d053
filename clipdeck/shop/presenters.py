"""Turning shop objects into API dictionaries; money is always ``money_out``."""

from __future__ import annotations

from collections import defaultdict

from clipdeck.shop import sealed_fields, stock
from clipdeck.shop.images import image_url
from clipdeck.shop.models import CartItem, Merchant, Order, Product, Variant
from clipdeck.shop.money import money_out


def shop_brief(merchant: Merchant) -> dict:
    return {"handle": merchant.user.handle, "name": merchant.name, "currency": merchant.currency}


def merchant_out(merchant: Merchant) -> dict:
    """The merchant's own view: the payout account shows only its last four characters."""
    return {
        **shop_brief(merchant),
        "shipping_countries": merchant.shipping_countries,
        "payout_account_last4": merchant.payout_last4 or None,
        "created_at": merchant.created_at,
    }


def _variant_image(variant: Variant) -> str | None:
    """The cell's copy of the variant's picture (imports list it among the product's)."""
    if not variant.image_url:
        return None
    match = next((i for i in variant.product.images.all() if i.src == variant.image_url), None)
    return image_url(match)


def was_price(variant: Variant) -> int | None:
    """The compare-at price shown struck through as "was": only when above the price.

    Catalog exports often carry a compare-at price equal to or below the price
    (a stale column); showing that as a former price would mislead the buyer.
    """
    compare_at = variant.compare_at_price
    return compare_at if compare_at is not None and compare_at > variant.price else None


def variant_out(variant: Variant, currency: str) -> dict:
    return {
        "id": variant.pk,
        "title": variant.title,
        "option_values": variant.option_values,
        "sku": variant.sku,
        "price": money_out(variant.price, currency),
        "compare_at_price": money_out(was_price(variant), currency),
        "available": stock.can_sell(variant, 1),
        "stock": variant.stock if variant.inventory_tracked else None,
        "inventory_policy": variant.inventory_policy,
        "requires_shipping": variant.requires_shipping,
        "image": _variant_image(variant),
    }


def _cheapest(product: Product) -> Variant | None:
    variants = list(product.variants.all())
    return min(variants, key=lambda variant: variant.price) if variants else None


def product_brief(product: Product) -> dict:
    """What a product chip or a catalog tile needs."""
    currency = product.merchant.currency
    cheapest = _cheapest(product)
    images = list(product.images.all())
    return {
        "id": product.pk,
        "handle": product.handle,
        "title": product.title,
        "shop": shop_brief(product.merchant),
        "image": image_url(images[0]) if images else None,
        "price": money_out(cheapest.price if cheapest else None, currency),
        "compare_at_price": money_out(was_price(cheapest) if cheapest else None, currency),
        "in_stock": any(stock.can_sell(variant, 1) for variant in product.variants.all()),
        "status": product.status,
        "published": product.published,
    }


def product_out(product: Product) -> dict:
    """A product page: every variant with price and stock, every image."""
    currency = product.merchant.currency
    return {
        **product_brief(product),
        "description_html": product.description_html,
        "vendor": product.vendor,
        "product_type": product.product_type,
        "tags": product.tags,
        "options": product.option_names,
        "images": [
            {"src": image_url(image), "alt": image.alt, "position": image.position}
            for image in product.images.all()
        ],
        "variants": [variant_out(variant, currency) for variant in product.variants.all()],
    }


def _cart_line(item: CartItem) -> dict:
    variant, product = item.variant, item.variant.product
    currency = product.merchant.currency
    return {
        "id": item.pk,
        "product": product_brief(product),
        "variant": variant_out(variant, currency),
        "quantity": item.quantity,
        "unit_price": money_out(variant.price, currency),
        "total": money_out(variant.price * item.quantity, currency),
        "source_video": str(item.source_video_id) if item.source_video_id else None,
    }


def cart_out(items: list[CartItem]) -> dict:
    """Lines, and a subtotal per shop (each shop checks out separately, in its currency)."""
    by_shop = defaultdict(list)
    for item in items:
        by_shop[item.variant.product.merchant].append(item)
    return {
        "items": [_cart_line(item) for item in items],
        "shops": [
            {
                **shop_brief(merchant),
                "subtotal": money_out(
                    sum(i.variant.price * i.quantity for i in lines), merchant.currency
                ),
                "item_count": sum(i.quantity for i in lines),
            }
            for merchant, lines in by_shop.items()
        ],
        "item_count": sum(item.quantity for item in items),
    }


def order_out(order: Order) -> dict:
    """The order for its buyer and its merchant (the only two who ever see it)."""
    payment = next(iter(reversed(list(order.payments.all()))), None)
    return {
        "id": str(order.pk),
        "status": order.status,
        "shop": shop_brief(order.merchant),
        "buyer": order.buyer.handle,
        "lines": [
            {
                "product_id": line.product_id,
                "variant_id": line.variant_id,
                "title": line.title,
                "variant_title": line.variant_title,
                "sku": line.sku,
                "quantity": line.quantity,
                "unit_price": money_out(line.unit_price, order.currency),
                "total": money_out(line.total, order.currency),
            }
            for line in order.lines.all()
        ],
        "subtotal": money_out(order.subtotal, order.currency),
        "shipping": money_out(order.shipping, order.currency),
        "total": money_out(order.total, order.currency),
        "shipping_address": sealed_fields.shipping_address(order),
        "payment": payment
        and {
            "provider": payment.provider,
            "status": payment.status,
            "card_brand": payment.card_brand,
            "card_last4": payment.card_last4,
        },
        "events": [
            {"status": event.to_status, "note": event.note, "at": event.created_at}
            for event in order.events.all()
        ],
        "created_at": order.created_at,
        "updated_at": order.updated_at,
    }
