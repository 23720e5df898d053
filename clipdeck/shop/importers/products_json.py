"""A Shopify storefront ``products.json`` document (``https://<shop>/products.json``).

The storefront lists only published products and does not reveal stock, so a
variant without ``inventory_quantity`` is imported as untracked. Admin-API
documents that include ``inventory_quantity``, ``inventory_management`` and
``inventory_policy`` are read too. "Row" in errors is the product's position in
the document (1 for the first product).
"""

from __future__ import annotations

import json
import re

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


# A products.json product is at most a few levels deep; anything much deeper is
# not a catalog and would exhaust the parser's recursion.
MAX_DEPTH = 32


STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKET_RE = re.compile(r"[\[\]{}]")


def _depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings, found without recursion."""
    deepest = depth = 0
    for match in BRACKET_RE.finditer(STRING_RE.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def load_products(data: bytes) -> list:
    """The list of product objects in the document, or an error saying what is wrong."""
    try:
        text = data.decode("utf-8-sig")
        if _depth(text) > MAX_DEPTH:
            raise _not_a_catalog(f"it is nested more than {MAX_DEPTH} levels deep.")
        document = json.loads(text)
    except RecursionError:
        raise _not_a_catalog(f"it is nested more than {MAX_DEPTH} levels deep.") from None
    except ValueError as exc:  # bad UTF-8, bad JSON, a number of thousands of digits
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


def _text(item: dict, key: str, label: str = "") -> str:
    """A text (or number) field as text; absent or null is empty, any other type an error."""
    value = item.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise CellError(f"{label or 'Product'} {key} must be text or a number.")
    return str(value).strip()


def _flag(item: dict, key: str, label: str, default: bool) -> bool:
    """A true/false field; absent or null means ``default``."""
    value = item.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise CellError(f"{label} {key} must be true or false.")
    return value


def _tags(item: dict, handle: str) -> list[str]:
    """Tags as a comma-separated text or a list of texts."""
    tags = item.get("tags")
    if tags is None:
        return []
    if isinstance(tags, str):
        tags = tags.split(",")
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise CellError(f"{handle}: tags must be a text or a list of texts.")
    return [tag.strip()[:255] for tag in tags if tag.strip()]


def _options(item: dict, handle: str) -> list[str]:
    """The option names (Size, Color) of the product."""
    options = item.get("options")
    if options is None:
        return []
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        raise CellError(f"{handle}: options must be a list of objects.")
    return [_text(option, "name", f"{handle}: option") for option in options]


def _product(number: int, item: object, currency: str) -> ProductRecord:
    if not isinstance(item, dict):
        raise CellError(f"Product {number} is not an object.")
    label = f"Product {number}:"
    handle = _text(item, "handle", label)
    title = _text(item, "title", label)
    if not handle or not title:
        raise CellError(f"Product {number} needs both a handle and a title.")
    names = _options(item, handle)
    product = ProductRecord(
        row=number,
        handle=handle[:255],
        title=title[:255],
        description_html=_text(item, "body_html", f"{handle}:"),
        vendor=_text(item, "vendor", f"{handle}:")[:255],
        product_type=_text(item, "product_type", f"{handle}:")[:255],
        tags=_tags(item, handle),
        status=_text(item, "status", f"{handle}:").lower() or "active",
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
    value = item.get(key)
    value = [] if value is None else value
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise CellError(f"{_text(item, 'handle')}: {key} must be a list of objects.")
    return value


def _image(handle: str, index: int, image: dict) -> ImageRecord:
    label = f"{handle}: image {index + 1}"
    src = fields.web_address(_text(image, "src", label), column=f"{label} src")
    position = image.get("position")
    good_position = isinstance(position, int) and not isinstance(position, bool)
    return ImageRecord(
        src=src,
        position=position if good_position and 0 < position < 100_000 else index + 1,
        alt=_text(image, "alt", label)[:512],
    )


def _variant(
    number: int, handle: str, index: int, item: dict, option_names: list[str], currency: str
) -> VariantRecord:
    label = f"{handle}: variant {index}"
    values = [_text(item, f"option{n}", label)[:255] for n in (1, 2, 3)]
    values = [value for value in values if value] if option_names else []
    quantity = item.get("inventory_quantity")
    _text(item, "inventory_management", label)  # checked to be text or null
    tracked = quantity is not None and item.get("inventory_management", "shopify") is not None
    featured = item.get("featured_image")
    if featured is not None and not isinstance(featured, dict):
        raise CellError(f"{label} featured_image must be an object.")
    return VariantRecord(
        row=number,
        option_values=values,
        price=fields.price(
            _text(item, "price", label), column=f"{label} price", currency=currency, required=True
        ),
        compare_at_price=fields.price(
            _text(item, "compare_at_price", label),
            column=f"{label} compare_at_price",
            currency=currency,
            required=False,
        ),
        sku=_text(item, "sku", label)[:255],
        barcode=_text(item, "barcode", label)[:64],
        inventory_tracked=tracked,
        stock=fields.whole_number(
            _text(item, "inventory_quantity", label), column=f"{label} inventory"
        ),
        continue_selling=fields.continue_selling(
            _text(item, "inventory_policy", label), column=f"{label} inventory_policy"
        ),
        requires_shipping=_flag(item, "requires_shipping", label, default=True),
        weight_grams=fields.grams(_text(item, "grams", label), column=f"{label} grams"),
        image_url=(
            fields.web_address(_text(featured, "src", label), column=f"{label} image")
            if isinstance(featured, dict) and featured.get("src")
            else ""
        ),
    )
