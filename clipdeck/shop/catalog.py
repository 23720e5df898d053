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

Products are saved in batches of ``BATCH_SIZE``, a transaction per batch (and
a savepoint per product inside it), so a large import never holds the
database's write lock for long and other writers interleave. The API and the
dashboard run imports in the background (``shop/imports.py``);
:func:`catalog_import` runs one to the end in the caller.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clipdeck.kernel.errors import DomainError, InvalidInput, Kind
from clipdeck.shop import stock
from clipdeck.shop.importers import fetch, products_json, shopify_csv
from clipdeck.shop.importers.records import ParseResult, ProductRecord, RowError, VariantRecord
from clipdeck.shop.models import InventoryPolicy, Merchant, Product, ProductImage, Variant
from clipdeck.shop.sanitize import clean_description

log = logging.getLogger(__name__)

BATCH_SIZE = 200  # products per transaction
DEFAULT_MAX_ROWS = 50_000  # CSV rows (header excluded) or products.json products


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


def max_rows() -> int:
    """The most rows (CSV records or JSON products) one import may have."""
    return getattr(settings, "CLIPDECK_SHOP_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def count_rows(data: bytes) -> int:
    """Rows of the catalog (CSV records after the header, or JSON products), after
    checking that it is a catalog at all: a cheap check before any parsing."""
    if not data.strip():
        raise InvalidInput("The file is empty.", code="empty_catalog", field="file")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return len(products_json.load_products(data))
    reader = csv.reader(io.StringIO(shopify_csv.decode(data), newline=""))
    try:
        shopify_csv.map_columns(next(reader, None) or [])
        return sum(1 for cells in reader if any(cell.strip() for cell in cells))
    except csv.Error as exc:
        raise InvalidInput(
            f"The file is not a readable CSV file ({exc}).", code="bad_csv", field="file"
        ) from None


def check_row_count(rows: int) -> None:
    """Refuse a catalog with more rows than :func:`max_rows`."""
    limit = max_rows()
    if rows > limit:
        raise DomainError(
            f"The catalog has {rows:,} rows; one import takes at most {limit:,}. "
            "Split the file and import the parts one after the other.",
            code="too_many_rows",
            field="file",
            kind=Kind.TOO_LARGE,
        )


def catalog_import(*, merchant: Merchant, data: bytes | None = None, url: str = "") -> ImportResult:
    """Import a catalog file (or the document at ``url``) into ``merchant``'s shop, now."""
    if data is None:
        if not url:
            raise InvalidInput(
                "Choose a Shopify product CSV or products.json file to import.",
                code="missing_file",
                field="file",
            )
        data = fetch.fetch_catalog(url)
    check_row_count(count_rows(data))
    parsed = parse_catalog(data, merchant.currency)
    result = ImportResult(errors=list(parsed.errors))
    for batch in batches(parsed.products):
        with transaction.atomic():
            save_batch(merchant, batch, result)
    result.errors.sort(key=lambda error: error.row)
    return result


def batches(records: list[ProductRecord], size: int = 0) -> Iterator[list[ProductRecord]]:
    """``records`` in consecutive lists of ``size`` (default ``BATCH_SIZE``)."""
    size = size or BATCH_SIZE
    for start in range(0, len(records), size):
        yield records[start : start + size]


def save_batch(merchant: Merchant, records: Iterable[ProductRecord], result: ImportResult) -> None:
    """Save each record in its own savepoint (call inside a transaction); a product
    that cannot be saved becomes an error of its row and the others go on."""
    for record in records:
        try:
            with transaction.atomic():
                created = save_product(merchant, record)
        except Exception:  # one bad product never aborts the others
            log.exception("catalog import: product %r could not be saved", record.handle)
            result.errors.append(
                RowError(record.row, f"{record.handle}: the product could not be saved.")
            )
            continue
        result.created += created
        result.updated += not created


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
    _save_images(product, record)
    return created


def _save_images(product: Product, record: ProductRecord) -> None:
    """The product's pictures as the record lists them, variant pictures after.

    A picture already copied into the cell (same source address) keeps its
    copy; the others are left ``pending`` for the import's image step.
    """
    pictures = [(i.src, i.alt) for i in sorted(record.images, key=lambda i: i.position)]
    pictures += [(variant.image_url, "") for variant in record.variants if variant.image_url]
    wanted: list[tuple[str, str]] = []
    listed: set[str] = set()
    for src, alt in pictures:
        if src not in listed:
            wanted.append((src, alt))
            listed.add(src)
    kept = {image.src: image for image in product.images.all()}
    for image in kept.values():
        if image.src not in listed:
            image.delete()
    for position, (src, alt) in enumerate(wanted, start=1):
        image = kept.get(src) or ProductImage(product=product, src=src)
        image.position, image.alt = position, alt
        image.save()


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
