"""Adding a product by hand (the API's ``POST /shop/products``), as the importer would."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from clipdeck.kernel.errors import Conflict, InvalidInput
from clipdeck.shop.catalog import save_product
from clipdeck.shop.importers.fields import CellError, web_address
from clipdeck.shop.importers.records import ImageRecord, ProductRecord, VariantRecord
from clipdeck.shop.models import Merchant, Product, ProductStatus
from clipdeck.shop.money import check_price, check_stock


def _variant(index: int, data: dict, currency: str) -> VariantRecord:
    field = f"variants.{index}"
    compare_at = data.get("compare_at_price")
    return VariantRecord(
        row=index,
        option_values=[value.strip() for value in data.get("option_values") or [] if value],
        price=check_price(data["price"], field=f"{field}.price", currency=currency),
        compare_at_price=(
            None
            if compare_at is None
            else check_price(compare_at, field=f"{field}.compare_at_price", currency=currency)
        ),
        sku=(data.get("sku") or "").strip(),
        inventory_tracked=data.get("inventory_tracked", True),
        stock=check_stock(data.get("stock", 0), field=f"{field}.stock"),
        continue_selling=data.get("inventory_policy") == "continue",
        requires_shipping=data.get("requires_shipping", True),
    )


def _image(index: int, src: str) -> ImageRecord:
    """An image by address, under the importer's rule: http(s) only."""
    try:
        return ImageRecord(src=web_address(src, column="The image address"), position=index)
    except CellError as exc:
        raise InvalidInput(str(exc), code="bad_image_url", field=f"images.{index - 1}") from None


@transaction.atomic
def product_create(
    *,
    merchant: Merchant,
    title: str,
    variants: list[dict],
    handle: str = "",
    description_html: str = "",
    status: str = ProductStatus.ACTIVE,
    published: bool = True,
    option_names: list[str] | None = None,
    images: list[str] | None = None,
) -> Product:
    """A new product in ``merchant``'s catalog; prices are minor units of the shop's currency."""
    handle = slugify(handle or title, allow_unicode=True)[:255]
    if not handle:
        raise InvalidInput("Give the product a title.", field="title")
    if merchant.products.filter(handle=handle).exists():
        raise Conflict(f"Your shop already has a product with the handle {handle!r}.")
    if not variants:
        raise InvalidInput("A product needs at least one variant with a price.", field="variants")
    record = ProductRecord(
        row=0,
        handle=handle,
        title=title.strip()[:255],
        description_html=description_html,
        status=status,
        published=published,
        option_names=option_names or [],
        variants=[_variant(i, data, merchant.currency) for i, data in enumerate(variants)],
        images=[_image(i, src) for i, src in enumerate(images or [], start=1)],
    )
    save_product(merchant, record)
    product = merchant.products.get(handle=handle)
    if record.images:
        transaction.on_commit(lambda: _copy_images(product.pk))
    return product


def _copy_images(product_id: int) -> None:
    from clipdeck.shop.tasks import copy_product_images

    copy_product_images.enqueue(product_id)
