from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from clipdeck.shop.models import Order, Product, VideoProduct
from tests.factories import UserFactory, VideoFactory
from tests.shop.factories import (
    ADDRESS,
    MerchantFactory,
    ProductFactory,
    VariantFactory,
    product_with_stock,
)

pytestmark = pytest.mark.django_db


def browser(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def buy(api, buyer, variant) -> Order:
    api(buyer).post("cart/items", {"product_id": variant.product_id, "variant_id": variant.pk})
    response = api(buyer).post(
        "checkout",
        {
            "shipping_address": ADDRESS,
            "payment": {"method": "test_card", "card_number": "4242424242424242"},
        },
        headers={"Idempotency-Key": "k"},
    )
    return Order.objects.get(pk=response.json()["order"]["id"])


def test_the_storefront_shows_products_on_sale_and_shoppable_videos(merchant):
    on_sale = product_with_stock(merchant, title="Blue mug").product
    ProductFactory(merchant=merchant, title="Secret draft", status="draft")
    video = VideoFactory(author=merchant.user, caption="Watch the mug")
    VideoProduct.objects.create(video=video, product=on_sale)

    page = browser().get(f"/shop/{merchant.user.handle}").content.decode()

    assert "Blue mug" in page
    assert "Secret draft" not in page
    assert f'href="/v/{video.pk}"' in page
    assert f'data-product-sheet="{on_sale.pk}"' in page


def test_a_storefront_of_an_account_without_a_shop_is_404(user):
    assert browser().get(f"/shop/{user.handle}").status_code == 404
    assert browser().get("/shop/nobody-here").status_code == 404


def test_the_product_sheet_is_a_fragment_with_labelled_variants_and_buy_buttons(merchant):
    variant = product_with_stock(merchant, title="Lamp", stock=2, price=4900)

    response = browser().get(f"/shop/product/{variant.product_id}/sheet?video=abc")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'name="variant_id" value="{variant.pk}"' in html  # one variant: no picker
    assert "Only 2 left" in html
    assert 'data-video="abc"' in html
    assert "Buy now" in html


def test_the_product_sheet_offers_a_labelled_picker_for_several_variants(merchant):
    first = product_with_stock(merchant, title="Lamp", stock=2, price=4900)
    VariantFactory(product=first.product, title="Large", price=5900, stock=9)

    html = browser().get(f"/shop/product/{first.product_id}/sheet").content.decode()

    assert f'<label for="variant-{first.product_id}">' in html
    assert "$49.00 (only 2 left)" in html
    assert "Large — $59.00" in html


def test_the_sheet_of_a_draft_is_404_to_others(merchant):
    draft = ProductFactory(merchant=merchant, status="draft")

    assert browser().get(f"/shop/product/{draft.pk}/sheet").status_code == 404
    assert browser(merchant.user).get(f"/shop/product/{draft.pk}/sheet").status_code == 200


def test_cart_checkout_and_order_pages_need_sign_in(merchant):
    for path in ("/cart", "/checkout", "/shop/dashboard"):
        response = browser().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login")


def test_the_cart_page_lists_lines_and_a_checkout_link_per_shop(api, user, merchant):
    variant = product_with_stock(merchant, title="Mug", price=1250)
    api(user).post("cart/items", {"product_id": variant.product_id, "variant_id": variant.pk})

    page = browser(user).get("/cart").content.decode()

    assert "Mug" in page
    assert "$12.50" in page
    assert f"/checkout?shop={merchant.user.handle}" in page


def test_the_order_page_is_for_its_buyer_only(api, user, merchant):
    order = buy(api, user, product_with_stock(merchant, title="Mug"))

    page = browser(user).get(f"/orders/{order.pk}")

    assert page.status_code == 200
    assert "Paid with visa ending 4242" in page.content.decode()
    assert browser(UserFactory()).get(f"/orders/{order.pk}").status_code == 404
    assert browser(merchant.user).get(f"/orders/{order.pk}").status_code == 404


def test_a_new_merchant_opens_a_shop_from_the_dashboard(user):
    client = browser(user)

    assert "Open a shop" in client.get("/shop/dashboard").content.decode()
    response = client.post("/shop/dashboard/open", {"name": "Ada", "currency": "eur"})

    assert response.status_code == 302
    assert user.merchant.currency == "EUR"


def test_the_dashboard_shows_orders_funnel_charts_and_imports_a_catalog(
    api, user, merchant, shopify_dir, run_worker, django_capture_on_commit_callbacks
):
    variant = product_with_stock(merchant, title="Mug")
    video = VideoFactory(author=merchant.user)
    VideoProduct.objects.create(video=video, product=variant.product, impressions=9, taps=3)
    buy(api, user, variant)
    client = browser(merchant.user)

    page = client.get("/shop/dashboard").content.decode()
    data = (shopify_dir / "shopify_product_template_2025_headers.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/shop/dashboard/import", {"file": SimpleUploadedFile("p.csv", data)})
    queued = client.get("/shop/dashboard").content.decode()
    run_worker()
    after = client.get("/shop/dashboard").content.decode()

    assert f"@{user.handle}" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in page
    assert "Impressions: 9; Product taps: 3; Added to cart: 0; Orders: 0." in page
    assert "Import queued…" in queued and "data-import-poll=" in queued
    assert "2 created, 0 updated, 0 problems." in after
    assert Product.objects.filter(merchant=merchant).count() == 3


def test_the_dashboard_ships_an_order_and_shows_a_refused_transition(api, user, merchant):
    order = buy(api, user, product_with_stock(merchant))
    client = browser(merchant.user)

    client.post(f"/shop/dashboard/orders/{order.pk}/fulfil")
    client.post(f"/shop/dashboard/orders/{order.pk}/cancel")
    page = client.get("/shop/dashboard").content.decode()

    assert Order.objects.get(pk=order.pk).status == "fulfilled"
    assert "This order can&#x27;t be cancelled: it has been shipped." in page
    assert (
        browser(MerchantFactory().user)
        .post(f"/shop/dashboard/orders/{order.pk}/refund")
        .status_code
        == 404
    )


@pytest.mark.parametrize(("compare_at", "struck"), [(2500, "$25.00"), (1999, None), (1500, None)])
def test_only_a_compare_at_price_above_the_price_is_struck_through_as_was(
    merchant, compare_at, struck
):
    variant = product_with_stock(merchant, price=1999)
    variant.compare_at_price = compare_at
    variant.save(update_fields=["compare_at_price"])

    html = browser().get(f"/shop/product/{variant.product_id}/sheet").content.decode()
    tiles = browser().get(f"/shop/@{merchant.user.handle}").content.decode()

    struck_out = [f"<s>{struck}</s>"] if struck else []
    prices = ["<s>$25.00</s>", "<s>$19.99</s>", "<s>$15.00</s>"]
    assert [price for price in prices if price in html] == struck_out
    assert [price for price in prices if price in tiles] == struck_out


def test_the_orders_page_lists_the_buyers_paid_orders_only(api, user, merchant):
    variant = product_with_stock(merchant, stock=5, price=1250, title="Mug")
    order = buy(api, user, variant)
    stranger = UserFactory()
    Order.objects.create(
        buyer=user,
        merchant=merchant,
        currency="USD",
        subtotal=1,
        total=1,
        shipping_address="",
        idempotency_key="declined",
        request_hash="x",
        status="cancelled",
    )  # a declined checkout: no sale

    mine = browser(user).get("/orders").content.decode()
    theirs = browser(stranger).get("/orders").content.decode()

    assert mine.count('href="/orders/') == 1
    assert f'href="/orders/{order.pk}"' in mine and "1 × Mug" in mine and "$12.50" in mine
    assert f"/orders/{order.pk}" not in theirs and "No orders yet" in theirs
    assert browser().get("/orders").status_code == 302
