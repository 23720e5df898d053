"""Catalog import: detect the file's kind, parse it, and save each product.

A re-import updates rather than duplicates: products match by handle within
the shop, variants by SKU within the product, or by their option values when
the SKU is empty. Variants missing from a new file are kept (a cart or order
may point at them). Each product is saved in its own savepoint, so one bad
product never loses the others.

The file's quantity is the merchant's count of units on hand; the variant's
stock is set from it through ``stock.set_on_hand`` (minus what open orders
hold), never by saving the row, so a checkout reserving units meanwhile is not
overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils import timezone

from clipdeck.kernel.errors import InvalidInput
from clipdeck.shop import stock
from clipdeck.shop.importers import fetch, products_json, shopify_csv
from clipdeck.shop.importers.records import ParseResult, ProductRecord, RowError, VariantRecord
from clipdeck.shop.models import InventoryPolicy, Merchant, Product, ProductImage, Variant
from clipdeck.shop.sanitize import clean_description


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "errors": [error.as_dict() for error in self.errors],
        }


def parse_catalog(data: bytes, currency: str) -> ParseResult:
    """Parse a Shopify CSV export or a ``products.json`` document, whichever ``data`` is."""
    if not data.strip():
        raise InvalidInput("The file is empty.", code="empty_catalog", field="file")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return products_json.parse(data, currency)
    return shopify_csv.parse(data, currency)


def catalog_import(*, merchant: Merchant, data: bytes | None = None, url: str = "") -> ImportResult:
    """Import a catalog file (or the document at ``url``) into ``merchant``'s shop."""
    if data is None:
        if not url:
            raise InvalidInput(
                "Choose a Shopify product CSV or products.json file to import.",
                code="missing_file",
                field="file",
            )
        data = fetch.fetch_catalog(url)
    parsed = parse_catalog(data, merchant.currency)
    result = ImportResult(errors=list(parsed.errors))
    for record in parsed.products:
        try:
            with transaction.atomic():
                created = save_product(merchant, record)
        except DatabaseError:
            result.errors.append(
                RowError(record.row, f"{record.handle}: the product could not be saved.")
            )
            continue
        result.created += created
        result.updated += not created
    result.errors.sort(key=lambda error: error.row)
    return result


def save_product(merchant: Merchant, record: ProductRecord) -> bool:
    """Create or update one product with its variants and images; True when created."""
    values = {
        "title": record.title,
        "description_html": clean_description(record.description_html),
        "vendor": record.vendor,
        "product_type": record.product_type,
        "tags": record.tags,
        "status": record.status,
        "published": record.published,
        "option_names": record.option_names,
        "updated_at": timezone.now(),
    }
    product, created = Product.objects.update_or_create(
        merchant=merchant, handle=record.handle, defaults=values
    )
    existing = list(product.variants.all())
    for position, variant in enumerate(record.variants, start=1):
        match = _matching_variant(existing, variant)
        _save_variant(product, match, variant, position)
    product.images.all().delete()
    ProductImage.objects.bulk_create(
        ProductImage(product=product, src=image.src, position=image.position, alt=image.alt)
        for image in sorted(record.images, key=lambda image: image.position)
    )
    return created


def _matching_variant(existing: list[Variant], record: VariantRecord) -> Variant | None:
    for variant in existing:
        if record.sku and variant.sku == record.sku:
            return variant
    for variant in existing:
        if not record.sku and variant.option_values == record.option_values:
            return variant
    return None


# Every column the import writes with the row; ``stock`` moves only through stock.py.
VARIANT_FIELDS = [
    "title",
    "option_values",
    "sku",
    "barcode",
    "position",
    "price",
    "compare_at_price",
    "inventory_tracked",
    "inventory_policy",
    "requires_shipping",
    "weight_grams",
    "image_url",
]


def _save_variant(
    product: Product, variant: Variant | None, record: VariantRecord, position: int
) -> None:
    variant = variant or Variant(product=product)
    variant.title = " / ".join(record.option_values) or "Default Title"
    variant.option_values = record.option_values
    variant.sku = record.sku
    variant.barcode = record.barcode
    variant.position = position
    variant.price = record.price
    variant.compare_at_price = record.compare_at_price
    variant.inventory_tracked = record.inventory_tracked
    variant.inventory_policy = (
        InventoryPolicy.CONTINUE if record.continue_selling else InventoryPolicy.DENY
    )
    variant.requires_shipping = record.requires_shipping
    variant.weight_grams = record.weight_grams
    variant.image_url = record.image_url
    if variant.pk is None:
        variant.save()
    else:
        variant.save(update_fields=VARIANT_FIELDS)
    stock.set_on_hand(variant.pk, record.stock)
