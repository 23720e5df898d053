"""Each real Shopify export imports with the exact counts its README implies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clipdeck.shop.catalog import catalog_import
from clipdeck.shop.models import Product, ProductImage, Variant

pytestmark = pytest.mark.django_db

LEGACY = "shopify_product_template_legacy_headers.csv"
HEADERS_2025 = "shopify_product_template_2025_headers.csv"
PUZZLLY = "puzzlly_products_export.csv"


def imported(merchant, path):
    return catalog_import(merchant=merchant, data=path.read_bytes())


def variants_of(merchant, handle):
    return list(Variant.objects.filter(product__merchant=merchant, product__handle=handle))


def test_the_legacy_template_gives_three_products_sixteen_variants_and_eleven_images(
    merchant, shopify_dir
):
    result = imported(merchant, shopify_dir / LEGACY)

    assert result.as_dict() == {"created": 3, "updated": 0, "errors": []}
    assert Product.objects.filter(merchant=merchant).count() == 3
    assert Variant.objects.filter(product__merchant=merchant).count() == 16
    assert ProductImage.objects.filter(product__merchant=merchant).count() == 11


def test_legacy_shirt_has_colour_by_size_variants_untracked_at_25_dollars(merchant, shopify_dir):
    imported(merchant, shopify_dir / LEGACY)

    shirt = Product.objects.get(merchant=merchant, handle="example-shirt")
    variants = variants_of(merchant, "example-shirt")
    assert (shirt.title, shirt.status, shirt.published) == ("Example T-Shirt", "active", True)
    assert shirt.option_names == ["Color", "Size"]
    assert shirt.tags == ["Made to Order", "Shirt Tag"]
    assert [v.title for v in variants[:4]] == ["Green / S", "Green / M", "Green / L", "Blue / S"]
    assert {v.price for v in variants} == {2500}
    assert {(v.inventory_tracked, v.stock, v.inventory_policy) for v in variants} == {
        (False, 0, "deny")
    }
    assert variants[0].sku == "SRT_COT_111"
    assert (
        variants[0].image_url == "https://burst.shopifycdn.com/photos/green-t-shirt.jpg?width=1500"
    )
    assert shirt.images.count() == 6


def test_the_image_only_continuation_row_adds_an_image_not_a_variant(merchant, shopify_dir):
    imported(merchant, shopify_dir / LEGACY)

    pants = Product.objects.get(merchant=merchant, handle="example-pants")
    variants = variants_of(merchant, "example-pants")
    assert [v.option_values for v in variants] == [["28"], ["30"], ["40"]]
    assert [(v.price, v.compare_at_price, v.stock) for v in variants] == [
        (9500, 6495, 20),
        (9500, 6495, 15),
        (9500, 6495, 10),
    ]
    assert variants[0].weight_grams == Decimal("226.796")
    assert [(i.position, i.alt) for i in pants.images.all()] == [
        (1, "A rack of jeans"),
        (2, "Small tapered stone wash jeans"),
        (3, "Medium tapered stone wash jeans"),
        (4, "Large tapered stone wash jeans"),
    ]
    assert (pants.status, pants.published) == ("draft", False)


def test_a_default_title_product_has_one_variant_without_options(merchant, shopify_dir):
    imported(merchant, shopify_dir / LEGACY)

    hat = Product.objects.get(merchant=merchant, handle="example-hat")
    [variant] = variants_of(merchant, "example-hat")
    assert hat.option_names == []
    assert (variant.title, variant.option_values) == ("Default Title", [])
    assert (variant.price, variant.compare_at_price, variant.stock) == (1799, 2299, 50)
    assert (hat.status, hat.published) == ("archived", False)


def test_the_2025_headers_give_two_products_fifteen_variants_and_the_stock_of_the_file(
    merchant, shopify_dir
):
    result = imported(merchant, shopify_dir / HEADERS_2025)

    assert result.as_dict() == {"created": 2, "updated": 0, "errors": []}
    shirt = Product.objects.get(merchant=merchant, handle="physical-product-the-band-t-shirt")
    shirt_variants = variants_of(merchant, shirt.handle)
    assert shirt.title == "Physical Product “The Band” T-Shirt"
    assert shirt.option_names == ["Size", "Color"]
    assert len(shirt_variants) == 12
    assert shirt_variants[0].option_values == ["Small", "green"]
    assert {(v.price, v.compare_at_price) for v in shirt_variants} == {(1999, 2499)}
    assert sum(v.stock for v in shirt_variants) == 513
    assert {(v.inventory_tracked, v.inventory_policy) for v in shirt_variants} == {(True, "deny")}
    assert [image.src for image in shirt.images.all()] == [
        "https://burst.shopifycdn.com/photos/forest-hiker.jpg?width=1000"
    ]


def test_the_2025_ebook_is_digital_untracked_and_keeps_selling(merchant, shopify_dir):
    imported(merchant, shopify_dir / HEADERS_2025)

    book = variants_of(merchant, "digital-product-the-history-of-rock-music")
    assert [(v.title, v.price, v.compare_at_price) for v in book] == [
        ("PDF", 1499, None),
        ("Audio", 2199, None),
        ("Kindle", 999, 1499),
    ]
    assert {
        (v.inventory_tracked, v.inventory_policy, v.requires_shipping, v.sells_unlimited)
        for v in book
    } == {(False, "continue", False, True)}


def test_the_puzzlly_export_in_yen_gives_nineteen_products_and_twenty_nine_variants(
    yen_merchant, shopify_dir
):
    result = imported(yen_merchant, shopify_dir / PUZZLLY)

    assert result.as_dict() == {"created": 19, "updated": 0, "errors": []}
    variants = Variant.objects.filter(product__merchant=yen_merchant)
    assert variants.count() == 29
    assert sum(v.stock for v in variants) == 344
    assert sum(v.price for v in variants) == 145000  # yen have no minor unit
    tuxedo = variants_of(yen_merchant, "blue-silk-tuxedo")[0]
    assert (tuxedo.price, tuxedo.stock) == (8000, 11)


def test_the_japanese_handle_and_option_name_survive_and_the_html_is_sanitised(
    yen_merchant, shopify_dir
):
    imported(yen_merchant, shopify_dir / PUZZLLY)

    tee = Product.objects.get(merchant=yen_merchant, handle="puzzlly-ロゴtシャツ")
    variants = variants_of(yen_merchant, tee.handle)
    assert tee.option_names == ["Size", "色"]
    assert len(variants) == 9
    assert {(v.price, v.compare_at_price) for v in variants} == {(2500, 3000)}
    assert variants[1].image_url.endswith("shirt_green.jpg?v=1597922279")
    assert tee.images.count() == 3
    assert tee.description_html.startswith("<p><span>puzzlly</span><span>のロゴ</span>")
    assert "class=" not in tee.description_html


@pytest.mark.parametrize("name", [LEGACY, HEADERS_2025, PUZZLLY])
def test_importing_the_same_file_again_updates_and_duplicates_nothing(
    yen_merchant, shopify_dir, name
):
    first = imported(yen_merchant, shopify_dir / name)
    counts = (
        Product.objects.filter(merchant=yen_merchant).count(),
        Variant.objects.filter(product__merchant=yen_merchant).count(),
        ProductImage.objects.filter(product__merchant=yen_merchant).count(),
    )
    ids = set(Variant.objects.filter(product__merchant=yen_merchant).values_list("pk", flat=True))

    second = imported(yen_merchant, shopify_dir / name)

    assert (second.created, second.updated) == (0, first.created)
    assert counts == (
        Product.objects.filter(merchant=yen_merchant).count(),
        Variant.objects.filter(product__merchant=yen_merchant).count(),
        ProductImage.objects.filter(product__merchant=yen_merchant).count(),
    )
    assert ids == set(
        Variant.objects.filter(product__merchant=yen_merchant).values_list("pk", flat=True)
    )


def test_a_yen_shop_gets_row_errors_for_the_dollar_cents_of_the_legacy_template(
    yen_merchant, shopify_dir
):
    result = imported(yen_merchant, shopify_dir / LEGACY)

    assert result.as_dict() == {
        "created": 1,
        "updated": 0,
        "errors": [
            {
                "row": 14,
                "message": f"example-pants: Variant Compare At Price '64.95' {TOO_PRECISE}.",
            },
            {"row": 14, "message": f"example-pants: {NOT_IMPORTED}"},
            {
                "row": 15,
                "message": f"example-pants: Variant Compare At Price '64.95' {TOO_PRECISE}.",
            },
            {
                "row": 16,
                "message": f"example-pants: Variant Compare At Price '64.95' {TOO_PRECISE}.",
            },
            {"row": 18, "message": f"example-hat: Variant Price '17.99' {TOO_PRECISE}."},
            {"row": 18, "message": f"example-hat: {NOT_IMPORTED}"},
        ],
    }
    assert list(Product.objects.filter(merchant=yen_merchant).values_list("handle", flat=True)) == [
        "example-shirt"
    ]


NOT_IMPORTED = "none of this product's variant rows could be read, so it was not imported."
TOO_PRECISE = "has more decimal places than JPY allows (no decimal places)"
