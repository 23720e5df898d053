"""The shop's payout accounts and shipping addresses are sealed with their owner's data key."""

from __future__ import annotations

import pytest
from django.test import Client

from clipdeck.kernel import keys
from clipdeck.shop.models import Order
from clipdeck.shop.sealed_fields import shipping_address
from tests.factories import UserFactory
from tests.shop.factories import ADDRESS, MerchantFactory, product_with_stock

pytestmark = pytest.mark.django_db


def place_order(api, buyer, merchant) -> Order:
    variant = product_with_stock(merchant, stock=5)
    api(buyer).post(
        "cart/items", {"product_id": variant.product_id, "variant_id": variant.pk, "quantity": 1}
    )
    response = api(buyer).post(
        "checkout",
        {
            "shipping_address": ADDRESS,
            "payment": {"method": "test_card", "card_number": "4242424242424242"},
        },
        headers={"Idempotency-Key": "k"},
    )
    assert response.status_code in (200, 201), response.content
    return Order.objects.get(pk=response.json()["order"]["id"])


def test_the_shipping_address_is_stored_sealed_and_shown_to_buyer_and_merchant(api):
    merchant, buyer = MerchantFactory(), UserFactory()
    order = place_order(api, buyer, merchant)

    raw = Order.objects.get(pk=order.pk).shipping_address
    merchant_view = api(merchant.user).get("shop/orders").json()["items"][0]
    client = Client()
    client.force_login(buyer)
    page = client.get(f"/orders/{order.pk}").content.decode()

    assert ADDRESS["line1"] not in raw and ADDRESS["city"] not in raw
    assert shipping_address(order).items() >= ADDRESS.items()
    assert merchant_view["shipping_address"]["city"] == ADDRESS["city"]
    assert ADDRESS["line1"] in page


def test_a_shredded_buyer_key_leaves_the_address_unreadable():
    buyer = UserFactory()
    order = Order(buyer=buyer, shipping_address="")
    order.shipping_address = keys.seal_for(buyer, "shop.Order.shipping_address", '{"city": "X"}')
    assert shipping_address(order) == {"city": "X"}

    keys.user_key_shred(buyer)
    fresh = UserFactory._meta.model.objects.get(pk=buyer.pk)
    order.buyer = fresh

    assert shipping_address(order) == {}
