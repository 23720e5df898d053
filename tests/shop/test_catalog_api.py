from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clipdeck.shop.models import Product
from tests.factories import UserFactory
from tests.shop.factories import ProductFactory, VariantFactory, product_with_stock

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes):
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv")}


def test_a_merchant_imports_the_real_legacy_template_through_the_api(
    api, merchant, shopify_dir, run_worker, django_capture_on_commit_callbacks
):
    data = (shopify_dir / "shopify_product_template_legacy_headers.csv").read_bytes()

    with django_capture_on_commit_callbacks(execute=True):
        response = api(merchant.user).post(
            "shop/catalog/import", upload("products.csv", data), multipart=True
        )
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    run_worker()
    report = api(merchant.user).get(f"shop/catalog/imports/{response.json()['id']}").json()

    assert report["status"] == "done"
    assert {key: report[key] for key in ("created", "updated", "errors")} == {
        "created": 3,
        "updated": 0,
        "errors": [],
    }
    listed = api(merchant.user).get("shop/products").json()["items"]
    assert sorted(item["handle"] for item in listed) == [
        "example-hat",
        "example-pants",
        "example-shirt",
    ]


def test_an_import_without_a_file_or_url_says_what_to_send(api, merchant):
    response = api(merchant.user).post("shop/catalog/import", {}, multipart=True)

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "missing_file",
        "message": "Choose a Shopify product CSV or products.json file to import.",
        "field": "file",
    }


def test_an_oversized_upload_is_refused(api, merchant, settings):
    settings.CLIPDECK_SHOP_IMPORT_MAX_BYTES = 10

    response = api(merchant.user).post(
        "shop/catalog/import", upload("p.csv", b"Handle,Variant Price\n" * 3), multipart=True
    )

    assert response.status_code == 413
    assert not Product.objects.exists()


def test_a_product_page_shows_variants_images_price_stock_and_shop(api, merchant):
    variant = product_with_stock(merchant, stock=3, price=1250, title="Mug", handle="mug")
    VariantFactory(product=variant.product, title="Large", price=1500, stock=0, sku="L")
    variant.product.images.create(src="https://cdn.example.com/mug.jpg", position=1, alt="A mug")

    response = api().get(f"products/{variant.product_id}")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Mug"
    assert body["shop"] == {
        "handle": merchant.user.handle,
        "name": merchant.name,
        "currency": "USD",
    }
    assert body["price"] == {"amount": 1250, "currency": "USD", "display": "$12.50"}
    assert body["in_stock"] is True
    # Not copied into the cell yet: the drawn placeholder, never the merchant's CDN.
    assert body["images"] == [
        {"src": "/static/shop/img/placeholder.svg", "alt": "A mug", "position": 1}
    ]
    assert [(v["title"], v["stock"], v["available"]) for v in body["variants"]] == [
        ("Default Title", 3, True),
        ("Large", 0, False),
    ]


@pytest.mark.parametrize(
    ("status", "published"), [("draft", True), ("archived", True), ("active", False)]
)
def test_products_not_on_sale_are_404_for_everyone_but_their_merchant(
    api, merchant, status, published
):
    product = ProductFactory(merchant=merchant, status=status, published=published)
    VariantFactory(product=product)

    assert api().get(f"products/{product.pk}").status_code == 404
    assert api(UserFactory()).get(f"products/{product.pk}").status_code == 404
    assert api(merchant.user).get(f"products/{product.pk}").status_code == 200


def test_a_merchant_adds_a_product_by_hand_with_prices_in_minor_units(api, yen_merchant):
    response = api(yen_merchant.user).post(
        "shop/products",
        {
            "title": "Tenugui towel",
            "option_names": ["Colour"],
            "variants": [
                {"option_values": ["Indigo"], "sku": "T-I", "price": 1800, "stock": 4},
                {"option_values": ["Red"], "sku": "T-R", "price": 1800, "stock": 0},
            ],
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["handle"], body["price"]["display"]) == ("tenugui-towel", "¥1,800")
    assert [v["title"] for v in body["variants"]] == ["Indigo", "Red"]
    duplicate = api(yen_merchant.user).post(
        "shop/products", {"title": "Tenugui towel", "variants": [{"price": 1}]}
    )
    assert duplicate.status_code == 409


def test_the_catalog_lists_only_the_callers_own_products(api, merchant):
    mine = ProductFactory(merchant=merchant)
    ProductFactory()  # another shop's

    items = api(merchant.user).get("shop/products").json()["items"]

    assert [item["id"] for item in items] == [mine.pk]
