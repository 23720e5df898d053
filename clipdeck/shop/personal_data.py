"""The shop's personal data: declarations, export of orders and shop, erasure."""

from __future__ import annotations

from clipdeck.kernel.personal_data import DataClass, Retention, declare, iso, register
from clipdeck.shop.models import (
    Cart,
    CartItem,
    CatalogImport,
    Merchant,
    Notification,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    Product,
    ProductImage,
    Variant,
    VideoProduct,
)

PUB, PROT, INT = DataClass.PUBLIC, DataClass.PROTECTED, DataClass.INTERNAL
SHOP = "Until the shop closes or the account is erased."
CATALOG = "Until the merchant deletes the product or closes the shop."
IMPORTS = "Until the shop closes or the account is erased."
ORDERS = "As long as tax and consumer law require (kept with the order), then deleted."

declare(
    Merchant,
    {
        "id": (INT, "Internal key.", SHOP),
        "user": (PUB, "The account that runs the shop; its handle names the storefront.", SHOP),
        "name": (PUB, "The shop's name on its storefront.", SHOP),
        "currency": (PUB, "The currency of the shop's prices.", SHOP),
        "shipping_countries": (PUB, "Where the shop ships, checked at checkout.", SHOP),
        "payout_account": (PROT, "Where the merchant is paid; never shown again.", SHOP),
        "payout_last4": (PROT, "Lets the merchant recognise the payout account.", SHOP),
        "created_at": (INT, "Ordering.", SHOP),
    },
)
declare(
    Product,
    {
        "id": (INT, "Internal key.", CATALOG),
        "merchant": (PUB, "Who sells the product.", CATALOG),
        "handle": (PUB, "The product's name in links and catalog re-imports.", CATALOG),
        "title": (PUB, "Shown to shoppers.", CATALOG),
        "description_html": (PUB, "Shown to shoppers (sanitised).", CATALOG),
        "vendor": (PUB, "Shown to shoppers.", CATALOG),
        "product_type": (PUB, "Browsing.", CATALOG),
        "tags": (PUB, "Browsing and search.", CATALOG),
        "status": (PUB, "Whether the product is on sale.", CATALOG),
        "published": (PUB, "Whether the product is on sale.", CATALOG),
        "removed": (INT, "Whether moderation removed the product.", CATALOG),
        "option_names": (PUB, "Names of the variant options (Size, Color).", CATALOG),
        "created_at": (INT, "Ordering.", CATALOG),
        "updated_at": (INT, "Ordering and re-imports.", CATALOG),
    },
)
declare(
    Variant,
    {
        "id": (INT, "Internal key.", CATALOG),
        "product": (PUB, "The product this is a variant of.", CATALOG),
        "title": (PUB, "Shown to shoppers.", CATALOG),
        "option_values": (PUB, "Shown to shoppers.", CATALOG),
        "sku": (PUB, "The merchant's stock code; matches re-imports.", CATALOG),
        "barcode": (PUB, "The merchant's barcode.", CATALOG),
        "position": (PUB, "Display order.", CATALOG),
        "price": (PUB, "Price in minor units.", CATALOG),
        "compare_at_price": (PUB, "The former price, shown struck through.", CATALOG),
        "inventory_tracked": (PUB, "Whether stock is counted.", CATALOG),
        "stock": (PUB, "Units on hand; checkout reserves from it.", CATALOG),
        "inventory_policy": (PUB, "Whether to sell when out of stock.", CATALOG),
        "requires_shipping": (PUB, "Physical or digital.", CATALOG),
        "weight_grams": (PUB, "Shipping weight.", CATALOG),
        "image_url": (PUB, "The variant's picture.", CATALOG),
    },
)
declare(
    ProductImage,
    {
        "id": (INT, "Internal key.", CATALOG),
        "product": (PUB, "The product pictured.", CATALOG),
        "src": (PUB, "The picture's address.", CATALOG),
        "position": (PUB, "Display order.", CATALOG),
        "alt": (PUB, "Text alternative.", CATALOG),
        "file": (PUB, "The picture, copied into this cell at import.", CATALOG),
        "state": (INT, "Whether the copy is made, waiting or refused.", CATALOG),
        "attempts": (INT, "How often the copy was tried.", CATALOG),
        "tried_at": (INT, "When the copy was last tried.", CATALOG),
    },
)
declare(
    VideoProduct,
    {
        "id": (INT, "Internal key.", Retention.ACCOUNT),
        "video": (PUB, "The video the product is tagged in.", Retention.ACCOUNT),
        "product": (PUB, "The product tagged.", Retention.ACCOUNT),
        "position": (PUB, "Display order of the chips.", Retention.ACCOUNT),
        "impressions": (INT, "Funnel counts (aggregates, no viewers).", Retention.ACCOUNT),
        "taps": (INT, "Funnel counts (aggregates, no viewers).", Retention.ACCOUNT),
        "add_to_carts": (INT, "Funnel counts (aggregates, no viewers).", Retention.ACCOUNT),
        "created_at": (INT, "Ordering.", Retention.ACCOUNT),
    },
)
declare(
    Cart,
    {
        "id": (INT, "Internal key.", Retention.ACCOUNT),
        "user": (PROT, "Whose cart.", Retention.ACCOUNT),
        "updated_at": (PROT, "When the cart last changed.", Retention.ACCOUNT),
    },
)
declare(
    CartItem,
    {
        "id": (INT, "Internal key.", Retention.ACCOUNT),
        "cart": (PROT, "Whose cart.", Retention.ACCOUNT),
        "variant": (PROT, "What the shopper means to buy.", Retention.ACCOUNT),
        "quantity": (PROT, "How many.", Retention.ACCOUNT),
        "source_video": (PROT, "The video the item was added from (funnel).", Retention.ACCOUNT),
        "added_at": (PROT, "Order of the cart.", Retention.ACCOUNT),
    },
)
declare(
    Order,
    {
        "id": (INT, "Unguessable key used in links.", ORDERS),
        "buyer": (PROT, "Who bought.", ORDERS),
        "merchant": (PROT, "Who sold.", ORDERS),
        "status": (PROT, "Where the order stands.", ORDERS),
        "currency": (PROT, "The currency charged.", ORDERS),
        "subtotal": (PROT, "Amounts charged.", ORDERS),
        "shipping": (PROT, "Amounts charged.", ORDERS),
        "total": (PROT, "Amounts charged.", ORDERS),
        "shipping_address": (PROT, "Where the merchant ships the order.", ORDERS),
        "idempotency_key": (PROT, "Makes a repeated checkout return the same order.", ORDERS),
        "request_hash": (PROT, "Keyed hash telling a repeated checkout from a new one.", ORDERS),
        "created_at": (PROT, "When the order was placed.", ORDERS),
        "updated_at": (PROT, "When it last changed.", ORDERS),
    },
)
declare(
    OrderLine,
    {
        "id": (INT, "Internal key.", ORDERS),
        "order": (PROT, "The order.", ORDERS),
        "product": (PROT, "What was bought.", ORDERS),
        "variant": (PROT, "What was bought.", ORDERS),
        "title": (PROT, "What was bought, as it was named then.", ORDERS),
        "variant_title": (PROT, "What was bought, as it was named then.", ORDERS),
        "sku": (PROT, "The merchant's stock code, for fulfilment.", ORDERS),
        "unit_price": (PROT, "The price paid.", ORDERS),
        "quantity": (PROT, "How many.", ORDERS),
        "reserved": (INT, "Whether stock is held for the line.", ORDERS),
        "source_video": (PROT, "The video the purchase came from (funnel).", ORDERS),
    },
)
declare(
    OrderEvent,
    {
        "id": (INT, "Internal key.", ORDERS),
        "order": (PROT, "The order.", ORDERS),
        "from_status": (PROT, "Audit of state changes.", ORDERS),
        "to_status": (PROT, "Audit of state changes.", ORDERS),
        "actor": (PROT, "Who changed it (none: the system).", ORDERS),
        "note": (PROT, "Why.", ORDERS),
        "created_at": (PROT, "When.", ORDERS),
    },
)
declare(
    Payment,
    {
        "id": (INT, "Internal key.", ORDERS),
        "order": (PROT, "The order paid.", ORDERS),
        "provider": (INT, "Which payment provider.", ORDERS),
        "reference": (PROT, "The provider's reference, for refunds.", ORDERS),
        "status": (PROT, "Authorized, captured, failed or refunded.", ORDERS),
        "amount": (PROT, "Amount charged.", ORDERS),
        "currency": (PROT, "Currency charged.", ORDERS),
        "card_brand": (PROT, "Lets the buyer recognise the card (no card number).", ORDERS),
        "card_last4": (PROT, "Lets the buyer recognise the card (no card number).", ORDERS),
        "error_code": (PROT, "Why a payment failed.", ORDERS),
        "error_message": (PROT, "Why a payment failed.", ORDERS),
        "created_at": (PROT, "When.", ORDERS),
        "updated_at": (PROT, "When.", ORDERS),
    },
)
declare(
    Notification,
    {
        "id": (INT, "Internal key.", ORDERS),
        "recipient": (PROT, "Who the email is for.", ORDERS),
        "kind": (PROT, "Which email.", ORDERS),
        "subject": (PROT, "The email.", ORDERS),
        "body": (PROT, "The email.", ORDERS),
        "order": (PROT, "The order it is about.", ORDERS),
        "created_at": (PROT, "When.", ORDERS),
        "sent_at": (PROT, "When a mailer delivered it.", ORDERS),
    },
)
declare(
    CatalogImport,
    {
        "id": (INT, "Internal key.", IMPORTS),
        "merchant": (INT, "Whose catalog is imported.", IMPORTS),
        "status": (INT, "Progress of the import.", IMPORTS),
        "file": (INT, "The uploaded catalog, deleted when the import ends.", IMPORTS),
        "url": (INT, "Where the catalog is downloaded from.", IMPORTS),
        "total": (INT, "Progress of the import.", IMPORTS),
        "done": (INT, "Progress of the import; where a crashed import resumes.", IMPORTS),
        "created": (INT, "The import's result.", IMPORTS),
        "updated": (INT, "The import's result.", IMPORTS),
        "errors": (INT, "Rows that could not be imported, for the merchant.", IMPORTS),
        "message": (INT, "Why an import stopped.", IMPORTS),
        "task_id": (INT, "The background task running the import.", IMPORTS),
        "created_at": (INT, "Ordering.", IMPORTS),
        "started_at": (INT, "Progress of the import.", IMPORTS),
        "finished_at": (INT, "Progress of the import.", IMPORTS),
    },
)


# --- export -------------------------------------------------------------------


def export(user) -> dict:
    """The user's orders as a buyer and their shop, if they run one."""
    return {"orders": _orders(user), "shop": _shop(user)}


def _orders(user) -> list[dict]:
    from clipdeck.shop.sealed_fields import shipping_address

    rows = (
        Order.objects.filter(buyer=user)
        .select_related("merchant")
        .prefetch_related("lines", "payments")
        .order_by("created_at")
    )
    return [
        {
            "id": str(order.pk),
            "shop": order.merchant.name,
            "status": order.status,
            "currency": order.currency,
            "subtotal": order.subtotal,
            "shipping": order.shipping,
            "total": order.total,
            "shipping_address": shipping_address(order),
            "lines": [
                {
                    "title": line.title,
                    "variant": line.variant_title,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                }
                for line in order.lines.all()
            ],
            "payments": [
                {"status": p.status, "card_brand": p.card_brand, "card_last4": p.card_last4}
                for p in order.payments.all()
            ],
            "created_at": iso(order.created_at),
        }
        for order in rows
    ]


def _shop(user) -> dict | None:
    merchant = Merchant.objects.filter(user=user).first()
    if merchant is None:
        return None
    return {
        "name": merchant.name,
        "currency": merchant.currency,
        "shipping_countries": merchant.shipping_countries,
        "payout_account_last4": merchant.payout_last4 or None,
        "products": list(merchant.products.order_by("pk").values("handle", "title", "status")),
        "created_at": iso(merchant.created_at),
    }


# --- erasure ------------------------------------------------------------------


def erase(user) -> None:
    """The user's shop goes with them, with the orders placed in it.

    Orders protect their merchant, so they go first; the shop, its catalog and
    the user's own orders and carts then cascade with the account.
    """
    Order.objects.filter(merchant__user=user).delete()


register("shop", export=export, erase=erase)
