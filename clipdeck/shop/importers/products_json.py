"""A Shopify storefront ``products.json`` document (``https://<shop>/products.json``).

The storefront lists only published products and does not reveal stock, so a
variant without ``inventory_quantity`` is imported as untracked. Admin-API
documents that include ``inventory_quantity``, ``inventory_management`` and
``inventory_policy`` are read too. "Row" in errors is the product's position in
the document (1 for the first product).
"""

from __future__ import annotations

import json

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


def _not_a_catalog(detail: str) -> InvalidInput:
    return InvalidInput(
        f"This is not a Shopify products.json document: {detail}",
        code="unrecognised_catalog",
        field="file",
    )


def load_products(data: bytes) -> list:
    """The list of product objects in the document, or an error saying what is wrong."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _not_a_catalog(f"it is not valid JSON ({exc}).") from None
    if isinstance(document, dict) and isinstance(document.get("product"), dict):
        return [document["product"]]
    if isinstance(document, dict) and isinstance(document.get("products"), list):
        return document["products"]
    raise _not_a_catalog('expected an object with a "products" list.')


def parse(data: bytes, currency: str) -> ParseResult:
    """Products and per-product errors of a ``products.json`` document."""
    products, errors = [], []
    for number, item in enumerate(load_products(data), start=1):
        try:
            products.append(_product(number, item, currency))
        except CellError as exc:
            errors.append(RowError(number, str(exc)))
    return ParseResult(products=products, errors=errors)


def _text(item: dict, key: str) -> str:
    value = item.get(key)
    return "" if value is None else str(value).strip()


def _product(number: int, item: object, currency: str) -> ProductRecord:
    if not isinstance(item, dict):
        raise CellError(f"Product {number} is not an object.")
    handle = _text(item, "handle")
    title = _text(item, "title")
    if not handle or not title:
        raise CellError(f"Product {number} needs both a handle and a title.")
    tags = item.get("tags") or []
    if isinstance(tags, str):
        tags = tags.split(",")
    options = [o for o in item.get("options") or [] if isinstance(o, dict)]
    names = [_text(option, "name") for option in options]
    product = ProductRecord(
        row=number,
        handle=handle[:255],
        title=title[:255],
        description_html=_text(item, "body_html"),
        vendor=_text(item, "vendor")[:255],
        product_type=_text(item, "product_type")[:255],
        tags=[str(tag).strip() for tag in tags if str(tag).strip()],
        status=_text(item, "status").lower() or "active",
        published=True,
        option_names=[] if names == ["Title"] else [name for name in names if name],
    )
    if product.status not in {"active", "draft", "archived"}:
        raise CellError(f"{handle}: status {product.status!r} is not active, draft or archived.")
    product.images = [_image(handle, i, image) for i, image in enumerate(_list(item, "images"))]
    product.variants = [
        _variant(number, handle, i, variant, product.option_names, currency)
        for i, variant in enumerate(_list(item, "variants"), start=1)
    ]
    if not product.variants:
        raise CellError(f"{handle}: the product has no variants, so it was not imported.")
    return product


def _list(item: dict, key: str) -> list[dict]:
    value = item.get(key) or []
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise CellError(f"{_text(item, 'handle')}: {key} must be a list of objects.")
    return value


def _image(handle: str, index: int, image: dict) -> ImageRecord:
    src = fields.web_address(_text(image, "src"), column=f"{handle}: image {index + 1} src")
    position = image.get("position")
    return ImageRecord(
        src=src,
        position=position if isinstance(position, int) and position > 0 else index + 1,
        alt=_text(image, "alt")[:512],
    )


def _variant(
    number: int, handle: str, index: int, item: dict, option_names: list[str], currency: str
) -> VariantRecord:
    label = f"{handle}: variant {index}"
    values = [_text(item, f"option{n}") for n in (1, 2, 3)]
    values = [value for value in values if value] if option_names else []
    quantity = item.get("inventory_quantity")
    tracked = quantity is not None and item.get("inventory_management", "shopify") is not None
    featured = item.get("featured_image")
    return VariantRecord(
        row=number,
        option_values=values,
        price=fields.price(
            _text(item, "price"), column=f"{label} price", currency=currency, required=True
        ),
        compare_at_price=fields.price(
            _text(item, "compare_at_price"),
            column=f"{label} compare_at_price",
            currency=currency,
            required=False,
        ),
        sku=_text(item, "sku")[:255],
        barcode=_text(item, "barcode")[:64],
        inventory_tracked=tracked,
        stock=fields.whole_number(_text(item, "inventory_quantity"), column=f"{label} inventory"),
        continue_selling=fields.continue_selling(
            _text(item, "inventory_policy"), column=f"{label} inventory_policy"
        ),
        requires_shipping=bool(item.get("requires_shipping", True)),
        weight_grams=fields.grams(_text(item, "grams"), column=f"{label} grams"),
        image_url=(
            fields.web_address(_text(featured, "src"), column=f"{label} image")
            if isinstance(featured, dict) and featured.get("src")
            else ""
        ),
    )
