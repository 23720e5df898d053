from __future__ import annotations

import pytest

from clipdeck.shop.models import CartItem, VideoProduct
from tests.factories import UserFactory, VideoFactory
from tests.shop.factories import MerchantFactory, product_with_stock

pytestmark = pytest.mark.django_db


def add(api, user, variant, quantity=1, **extra):
    return api(user).post(
        "cart/items",
        {"product_id": variant.product_id, "variant_id": variant.pk, "quantity": quantity, **extra},
    )


def test_adding_twice_sums_the_line_and_the_cart_shows_subtotals_per_shop(api, user, merchant):
    variant = product_with_stock(merchant, stock=5, price=1250)
    add(api, user, variant, 2)

    response = add(api, user, variant, 1)

    assert response.status_code == 201
    body = response.json()
    assert [(line["quantity"], line["total"]["amount"]) for line in body["items"]] == [(3, 3750)]
    assert body["shops"] == [
        {
            "handle": merchant.user.handle,
            "name": merchant.name,
            "currency": "USD",
            "subtotal": {"amount": 3750, "currency": "USD", "display": "$37.50"},
            "item_count": 3,
        }
    ]


def test_more_than_the_stock_is_refused_with_how_many_are_left(api, user, merchant):
    variant = product_with_stock(merchant, stock=2)

    response = add(api, user, variant, 3)

    assert response.status_code == 409
    assert response.json()["error"]["message"] == "Only 2 left in stock."
    assert not CartItem.objects.exists()


def test_a_variant_of_another_product_or_a_draft_is_not_found(api, user, merchant):
    variant = product_with_stock(merchant)
    other = product_with_stock(merchant)
    draft = product_with_stock(merchant, status="draft")

    mismatched = api(user).post(
        "cart/items", {"product_id": other.product_id, "variant_id": variant.pk, "quantity": 1}
    )

    assert mismatched.status_code == 404
    assert add(api, user, draft).status_code == 404


def test_quantities_are_changed_and_lines_removed_only_in_your_own_cart(api, user, merchant):
    variant = product_with_stock(merchant, stock=10)
    item_id = add(api, user, variant).json()["items"][0]["id"]
    stranger = UserFactory()

    assert api(stranger).patch(f"cart/items/{item_id}", {"quantity": 5}).status_code == 404
    assert api(stranger).delete(f"cart/items/{item_id}").status_code == 404
    assert api(user).patch(f"cart/items/{item_id}", {"quantity": 5}).json()["item_count"] == 5
    assert api(user).patch(f"cart/items/{item_id}", {"quantity": 0}).status_code == 422
    assert api(user).delete(f"cart/items/{item_id}").json()["items"] == []


def test_adding_from_a_video_credits_its_funnel(api, user, merchant):
    variant = product_with_stock(merchant)
    video = VideoFactory(author=merchant.user)
    VideoProduct.objects.create(video=video, product=variant.product)

    response = add(api, user, variant, video_id=str(video.pk))

    assert response.json()["items"][0]["source_video"] == str(video.pk)
    assert VideoProduct.objects.get().add_to_carts == 1


def test_the_cart_is_per_account_and_needs_sign_in(api, user):
    other = UserFactory()
    add(api, other, product_with_stock(MerchantFactory()))

    assert api(user).get("cart").json() == {"items": [], "shops": [], "item_count": 0}
    assert api().get("cart").status_code == 401


def test_buy_now_after_add_to_cart_buys_the_quantity_chosen_not_both(api, user, merchant):
    variant = product_with_stock(merchant, stock=5)
    add(api, user, variant, 1)

    response = add(api, user, variant, 1, buy_now=True)

    assert [line["quantity"] for line in response.json()["items"]] == [1]


def test_buy_now_checks_the_stock_against_its_own_quantity(api, user, merchant):
    variant = product_with_stock(merchant, stock=2)
    add(api, user, variant, 2)

    assert add(api, user, variant, 2, buy_now=True).status_code == 201
    assert add(api, user, variant, 3, buy_now=True).status_code == 409
    assert CartItem.objects.get().quantity == 2


def test_a_video_counts_one_add_to_cart_per_cart_line_it_brought(api, user, merchant):
    variant = product_with_stock(merchant)
    video = VideoFactory(author=merchant.user)
    VideoProduct.objects.create(video=video, product=variant.product)

    add(api, user, variant, video_id=str(video.pk))
    add(api, user, variant, video_id=str(video.pk), buy_now=True)
    add(api, user, variant, video_id=str(video.pk))

    assert VideoProduct.objects.get().add_to_carts == 1
    assert CartItem.objects.get().quantity == 2
