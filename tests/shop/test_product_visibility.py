"""Products are no more visible than the account that sells them (rules M1–M3).

A merchant who blocked a viewer, or whose account is deactivated, is gone for
that viewer: every product read answers the same 404 as a product that does not
exist, and nothing is put in a cart or counted.
"""

from __future__ import annotations

import pytest
from django.test import Client

from clipdeck.shop.models import CartItem, Product, VideoProduct
from tests.factories import BlockFactory, UserFactory, VideoFactory
from tests.shop.factories import product_with_stock

pytestmark = pytest.mark.django_db

NOT_FOUND = {
    "code": "not_found",
    "message": "This product does not exist or is not for sale.",
}


def browser(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def add_to_cart(api, user, variant, **extra):
    return api(user).post(
        "cart/items",
        {"product_id": variant.product_id, "variant_id": variant.pk, "quantity": 1, **extra},
    )


def deactivate(user) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])


def test_a_product_of_a_merchant_who_blocked_you_is_the_404_of_a_missing_one(api, merchant):
    # Given a product on sale and a viewer the merchant blocked
    product = product_with_stock(merchant).product
    blocked = UserFactory()
    BlockFactory(blocker=merchant.user, blocked=blocked)
    # When the blocked viewer, someone else and the merchant open it
    refused = api(blocked).get(f"products/{product.pk}")
    missing = api(blocked).get("products/999999")
    # Then the blocked viewer gets the very 404 of a missing product
    assert refused.status_code == 404
    assert refused.json() == missing.json()
    assert refused.json()["error"]["code"] == NOT_FOUND["code"]
    assert refused.json()["error"]["message"] == NOT_FOUND["message"]
    # And everyone else still sees it
    assert api(UserFactory()).get(f"products/{product.pk}").status_code == 200
    assert api().get(f"products/{product.pk}").status_code == 200
    assert api(merchant.user).get(f"products/{product.pk}").status_code == 200


def test_blocking_the_merchant_yourself_does_not_hide_their_products(api, merchant):
    # Given a viewer who blocked the merchant (profiles hide only from the blocked, P2)
    product = product_with_stock(merchant).product
    viewer = UserFactory()
    BlockFactory(blocker=viewer, blocked=merchant.user)
    # When the viewer opens the product
    response = api(viewer).get(f"products/{product.pk}")
    # Then it is shown, as the merchant's profile is
    assert response.status_code == 200
    assert api(viewer).get(f"users/{merchant.user.handle}").status_code == 200


def test_a_product_of_a_deactivated_merchant_is_404_for_everyone(api, merchant):
    # Given a product on sale whose merchant's account is deactivated
    product = product_with_stock(merchant).product
    deactivate(merchant.user)
    # When anyone opens it
    anonymous = api().get(f"products/{product.pk}")
    signed_in = api(UserFactory()).get(f"products/{product.pk}")
    # Then it is a 404
    assert (anonymous.status_code, signed_in.status_code) == (404, 404)
    assert anonymous.json()["error"]["message"] == NOT_FOUND["message"]
    # And the query set says the same
    assert not Product.objects.visible_to(None).filter(pk=product.pk).exists()


def test_a_blocked_viewer_cannot_put_the_merchants_product_in_a_cart(api, merchant):
    # Given a product on sale and a viewer the merchant blocked
    variant = product_with_stock(merchant)
    blocked = UserFactory()
    BlockFactory(blocker=merchant.user, blocked=blocked)
    # When the blocked viewer adds it to their cart
    refused = add_to_cart(api, blocked, variant)
    # Then it is a 404 and the cart stays empty
    assert refused.status_code == 404
    assert not CartItem.objects.exists()
    # And someone else can still add it
    assert add_to_cart(api, UserFactory(), variant).status_code == 201


def test_a_product_of_a_deactivated_merchant_cannot_be_put_in_a_cart(api, user, merchant):
    # Given a product on sale whose merchant's account is deactivated
    variant = product_with_stock(merchant)
    deactivate(merchant.user)
    # When a shopper adds it to their cart
    response = add_to_cart(api, user, variant)
    # Then it is a 404 and nothing was added
    assert response.status_code == 404
    assert not CartItem.objects.exists()


def test_the_product_sheet_is_404_to_a_blocked_viewer_and_when_the_merchant_is_gone(merchant):
    # Given a product on sale and a viewer the merchant blocked
    product = product_with_stock(merchant).product
    blocked = UserFactory()
    BlockFactory(blocker=merchant.user, blocked=blocked)
    sheet = f"/shop/product/{product.pk}/sheet"
    # Then the blocked viewer's sheet is a 404 while others still get it
    assert browser(blocked).get(sheet).status_code == 404
    assert browser(UserFactory()).get(sheet).status_code == 200
    assert browser().get(sheet).status_code == 200
    # And once the merchant is deactivated, it is a 404 for everyone
    deactivate(merchant.user)
    assert browser().get(sheet).status_code == 404
    assert browser(UserFactory()).get(sheet).status_code == 404


def test_the_storefront_is_404_to_a_blocked_viewer_and_when_the_merchant_is_gone(merchant):
    # Given a shop with a product on sale and a viewer the merchant blocked
    product_with_stock(merchant, title="Blue mug")
    blocked = UserFactory()
    BlockFactory(blocker=merchant.user, blocked=blocked)
    storefront = f"/shop/{merchant.user.handle}"
    # Then the blocked viewer's storefront is a 404 while others still see the shop
    assert browser(blocked).get(storefront).status_code == 404
    assert "Blue mug" in browser(UserFactory()).get(storefront).content.decode()
    # And once the merchant is deactivated, it is a 404 for everyone
    deactivate(merchant.user)
    assert browser().get(storefront).status_code == 404


def test_a_creators_video_hides_the_chip_of_a_merchant_who_blocked_the_viewer(api, merchant):
    # Given a creator's public video tagging a merchant's product, and a viewer the merchant blocked
    product = product_with_stock(merchant).product
    video = VideoFactory()
    VideoProduct.objects.create(video=video, product=product)
    blocked = UserFactory()
    BlockFactory(blocker=merchant.user, blocked=blocked)
    # When the blocked viewer reads the video's products and taps the chip
    chips = api(blocked).get(f"videos/{video.pk}/products")
    tap = api(blocked).post(f"videos/{video.pk}/products/{product.pk}/tap")
    # Then the video is shown without the chip, and the tap is a 404 that counts nothing
    assert chips.status_code == 200
    assert chips.json()["items"] == []
    assert tap.status_code == 404
    assert VideoProduct.objects.get().taps == 0
    # And another viewer still sees the chip
    others = api(UserFactory()).get(f"videos/{video.pk}/products").json()["items"]
    assert [item["id"] for item in others] == [product.pk]
