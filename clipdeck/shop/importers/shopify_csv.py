"""Shopify product CSV exports, in the legacy and the 2025 header dialects.

One product spans several rows sharing a handle: the first row carries the
product's fields, every row with a price or option values is a variant, and a
row with only an image ("continuation row") adds a picture. Row numbers in
errors are the spreadsheet's (the header is row 1; a multi-line cell is still
one row).
"""

from __future__ import annotations

import csv
import io

from django.utils.text import slugify

from clipdeck.kernel.errors import InvalidInput
from clipdeck.shop.importers import fields
from clipdeck.shop.importers.fields import CellError
from clipdeck.shop.importers.records import (
    ImageRecord,
    ParseResult,
    ProductRecord,
    RowError,
    VariantRecord,
)

# Our name for a column → the header names Shopify has used for it (lower-case).
ALIASES: dict[str, tuple[str, ...]] = {
    "handle": ("handle", "url handle"),
    "title": ("title",),
    "body": ("body (html)", "description"),
    "vendor": ("vendor",),
    "type": ("type", "custom product type"),
    "tags": ("tags",),
    "published": ("published", "published on online store"),
    "status": ("status",),
    **{f"option{n}_name": (f"option{n} name",) for n in (1, 2, 3)},
    **{f"option{n}_value": (f"option{n} value",) for n in (1, 2, 3)},
    "sku": ("variant sku", "sku"),
    "barcode": ("variant barcode", "barcode"),
    "grams": ("variant grams", "weight value (grams)"),
    "tracker": ("variant inventory tracker", "inventory tracker"),
    "quantity": ("variant inventory qty", "inventory quantity"),
    "policy": ("variant inventory policy", "continue selling when out of stock"),
    "price": ("variant price", "price"),
    "compare_at": ("variant compare at price", "compare-at price"),
    "requires_shipping": ("variant requires shipping", "requires shipping"),
    "image_src": ("image src", "product image url"),
    "image_position": ("image position",),
    "image_alt": ("image alt text",),
    "variant_image": ("variant image", "variant image url"),
}
STATUSES = {"active", "draft", "archived"}
DEFAULT_OPTION = ["Default Title"]


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as spreadsheet programs write it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


class Row:
    """One CSV record, read by our column names; ``label`` gives the file's own header."""

    def __init__(self, number: int, cells: list[str], columns: dict[str, tuple[int, str]]):
        self.number = number
        self.cells = cells
        self.columns = columns

    def get(self, name: str) -> str:
        index, _ = self.columns.get(name, (None, ""))
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index].strip()

    def has_column(self, name: str) -> bool:
        return name in self.columns

    def label(self, name: str) -> str:
        return self.columns.get(name, (None, name))[1]


def map_columns(header: list[str]) -> dict[str, tuple[int, str]]:
    """Our column names → (index, header as written), or an error naming what is missing."""
    positions = {" ".join(name.split()).lower(): i for i, name in enumerate(header)}
    columns = {}
    for ours, theirs in ALIASES.items():
        for name in theirs:
            if name in positions:
                columns[ours] = (positions[name], header[positions[name]].strip())
                break
    for required, shown in (("handle", "Handle (or URL handle)"), ("price", "Variant Price")):
        if required not in columns:
            raise InvalidInput(
                f"This doesn't look like a Shopify product export: the column {shown} is "
                "missing. Export the products from Shopify (Products → Export) and upload "
                "that CSV file as it is.",
                code="unrecognised_catalog",
                field="file",
            )
    return columns


def parse(data: bytes, currency: str) -> ParseResult:
    """Products and per-row errors of a Shopify product CSV, prices in ``currency``."""
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    try:
        header = next(reader, None)
        if not header:
            raise InvalidInput("The file is empty.", code="empty_catalog", field="file")
        columns = map_columns(header)
        products: dict[str, ProductRecord] = {}
        errors: list[RowError] = []
        for number, cells in enumerate(reader, start=2):
            if any(cell.strip() for cell in cells):
                _read_row(Row(number, cells, columns), currency, products, errors)
    except csv.Error as exc:
        raise InvalidInput(
            f"The file is not a readable CSV file ({exc}).", code="bad_csv", field="file"
        ) from None
    return ParseResult(products=_finished(products, errors), errors=errors)


def _read_row(
    row: Row, currency: str, products: dict[str, ProductRecord], errors: list[RowError]
) -> None:
    handle = row.get("handle") or slugify(row.get("title"), allow_unicode=True)
    if not handle:
        errors.append(RowError(row.number, "This row has neither a handle nor a title."))
        return
    product = products.get(handle)
    if product is None:
        product = products[handle] = ProductRecord(row=row.number, handle=handle[:255])
        _read_product_fields(row, product, errors)
    for read in (_read_image, _read_variant):
        try:
            read(row, product, currency)
        except CellError as exc:
            errors.append(RowError(row.number, f"{handle}: {exc}"))


def _read_product_fields(row: Row, product: ProductRecord, errors: list[RowError]) -> None:
    product.title = row.get("title")[:255]
    product.description_html = row.get("body")
    product.vendor = row.get("vendor")[:255]
    product.product_type = row.get("type")[:255]
    product.tags = [tag.strip() for tag in row.get("tags").split(",") if tag.strip()]
    names = [row.get(f"option{n}_name") for n in (1, 2, 3)]
    product.option_names = [name for name in names if name]
    if row.get("option1_value") == DEFAULT_OPTION[0] and product.option_names == ["Title"]:
        product.option_names = []
    try:
        product.published = fields.boolean(
            row.get("published"), column=row.label("published"), default=True
        )
    except CellError as exc:
        errors.append(RowError(row.number, f"{product.handle}: {exc}"))
    status = row.get("status").lower()
    if not row.has_column("status") or not status:
        product.status = "active" if product.published else "draft"
    elif status in STATUSES:
        product.status = status
    else:
        product.status = "draft"
        errors.append(
            RowError(
                row.number,
                f"{product.handle}: Status is {row.get('status')!r}; use active, draft or "
                "archived. The product was saved as a draft.",
            )
        )


def _read_image(row: Row, product: ProductRecord, currency: str) -> None:
    src = row.get("image_src")
    if not src:
        return
    position = fields.whole_number(row.get("image_position"), column=row.label("image_position"))
    product.images.append(
        ImageRecord(
            src=fields.web_address(src, column=row.label("image_src")),
            position=position or len(product.images) + 1,
            alt=row.get("image_alt")[:512],
        )
    )


def _is_variant_row(row: Row) -> bool:
    return any(row.get(name) for name in ("price", "sku", "option1_value", "quantity"))


def _read_variant(row: Row, product: ProductRecord, currency: str) -> None:
    if not _is_variant_row(row):
        return  # an image-only continuation row
    values = [row.get(f"option{n}_value") for n in (1, 2, 3)]
    values = [value for value in values if value]
    if not product.option_names or values == DEFAULT_OPTION:
        values = []
    quantity = row.get("quantity")
    tracked = bool(row.get("tracker")) if row.has_column("tracker") else bool(quantity)
    variant_image = row.get("variant_image")
    variant = VariantRecord(
        row=row.number,
        option_values=values,
        price=fields.price(
            row.get("price"), column=row.label("price"), currency=currency, required=True
        ),
        compare_at_price=fields.price(
            row.get("compare_at"), column=row.label("compare_at"), currency=currency, required=False
        ),
        sku=row.get("sku")[:255],
        barcode=row.get("barcode")[:64],
        inventory_tracked=tracked,
        stock=fields.whole_number(quantity, column=row.label("quantity")),
        continue_selling=fields.continue_selling(row.get("policy"), column=row.label("policy")),
        requires_shipping=fields.boolean(
            row.get("requires_shipping"), column=row.label("requires_shipping"), default=True
        ),
        weight_grams=fields.grams(row.get("grams"), column=row.label("grams")),
        image_url=(
            fields.web_address(variant_image, column=row.label("variant_image"))
            if variant_image
            else ""
        ),
    )
    if any(_same_variant(variant, other) for other in product.variants):
        raise CellError("this variant repeats an earlier row (same SKU or options).")
    product.variants.append(variant)


def _same_variant(one: VariantRecord, other: VariantRecord) -> bool:
    if one.sku or other.sku:
        return one.sku == other.sku
    return one.option_values == other.option_values


def _finished(products: dict[str, ProductRecord], errors: list[RowError]) -> list[ProductRecord]:
    """The products that can be saved; the others get an error on their first row."""
    ready = []
    for product in products.values():
        if not product.title:
            errors.append(
                RowError(product.row, f"{product.handle}: the product has no title (Title).")
            )
        elif not product.variants:
            errors.append(
                RowError(
                    product.row,
                    f"{product.handle}: none of this product's variant rows could be read, "
                    "so it was not imported.",
                )
            )
        else:
            ready.append(product)
    errors.sort(key=lambda error: error.row)
    return ready
