from __future__ import annotations

import pytest

from clipdeck.shop.models import CartItem, Notification, Order, Payment, Variant
from clipdeck.shop.payments.simulated_card import DECLINED, PROCESSING_ERROR, SUCCEEDS
from tests.factories import UserFactory
from tests.shop.factories import ADDRESS, MerchantFactory, product_with_stock

pytestmark = pytest.mark.django_db


def fill_cart(api, user, variant, quantity=1):
    api(user).post(
        "cart/items",
        {"product_id": variant.product_id, "variant_id": variant.pk, "quantity": quantity},
    )


def pay(api, user, key="key-1", card=SUCCEEDS, **extra):
    body = {
        "shipping_address": ADDRESS,
        "payment": {"method": "test_card", "card_number": card},
        **extra,
    }
    headers = {"Idempotency-Key": key} if key else {}
    return api(user).post("checkout", body, headers=headers)


def stock_of(variant) -> int:
    return Variant.objects.get(pk=variant.pk).stock


def test_checkout_with_the_test_card_creates_a_paid_order_and_takes_stock(api, user, merchant):
    variant = product_with_stock(merchant, stock=5, price=1250, title="Mug")
    fill_cart(api, user, variant, 2)

    response = pay(api, user)

    assert response.status_code == 201
    order = response.json()["order"]
    assert order["status"] == "paid"
    assert order["total"] == {"amount": 2500, "currency": "USD", "display": "$25.00"}
    assert [(line["title"], line["quantity"]) for line in order["lines"]] == [("Mug", 2)]
    assert order["payment"] == {
        "provider": "test_card",
        "status": "captured",
        "card_brand": "visa",
        "card_last4": "4242",
    }
    assert [event["status"] for event in order["events"]] == ["pending", "paid"]
    assert stock_of(variant) == 3
    assert not CartItem.objects.filter(cart__user=user).exists()
    assert set(Notification.objects.values_list("kind", flat=True)) == {
        "order_confirmed",
        "merchant_new_order",
    }


def test_the_card_number_is_never_stored(api, user, merchant):
    fill_cart(api, user, product_with_stock(merchant))

    pay(api, user)

    payment = Payment.objects.get()
    stored = " ".join(str(value) for value in Payment.objects.values().get().values())
    assert SUCCEEDS not in stored
    assert SUCCEEDS not in str(Order.objects.values().get())
    assert payment.card_last4 == "4242"


def test_the_same_key_and_payload_return_the_same_order_without_a_second_charge(
    api, user, merchant
):
    variant = product_with_stock(merchant, stock=5)
    fill_cart(api, user, variant)
    first = pay(api, user, key="same")
    fill_cart(api, user, variant)  # the shopper adds more, then the client retries

    again = pay(api, user, key="same")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["order"]["id"] == first.json()["order"]["id"]
    assert (Order.objects.count(), Payment.objects.count(), stock_of(variant)) == (1, 1, 4)


def test_the_same_key_with_another_payload_is_refused(api, user, merchant):
    fill_cart(api, user, product_with_stock(merchant))
    pay(api, user, key="k")

    response = pay(api, user, key="k", card="5555555555554444")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_checkout_requires_an_idempotency_key(api, user, merchant):
    fill_cart(api, user, product_with_stock(merchant))

    response = pay(api, user, key=None)

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "Idempotency-Key"
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("card", "status", "code"),
    [(DECLINED, 402, "card_declined"), (PROCESSING_ERROR, 502, "processing_error")],
)
def test_a_failed_payment_cancels_the_order_and_leaves_stock_unchanged(
    api, user, merchant, card, status, code
):
    variant = product_with_stock(merchant, stock=3)
    fill_cart(api, user, variant, 2)

    response = pay(api, user, card=card)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert stock_of(variant) == 3
    order = Order.objects.get()
    assert order.status == "cancelled"
    assert order.lines.get().reserved is False
    assert CartItem.objects.filter(cart__user=user).count() == 1  # the cart is kept to retry
    replay = pay(api, user, card=card)
    assert (replay.status_code, replay.json()["error"]["code"]) == (status, code)
    assert (Order.objects.count(), stock_of(variant)) == (1, 3)


def test_after_a_decline_a_new_key_with_a_good_card_succeeds(api, user, merchant):
    variant = product_with_stock(merchant, stock=1)
    fill_cart(api, user, variant)
    pay(api, user, key="a", card=DECLINED)

    response = pay(api, user, key="b")

    assert response.status_code == 201
    assert stock_of(variant) == 0


def test_out_of_stock_at_checkout_is_409_and_nothing_is_kept(api, user, merchant):
    variant = product_with_stock(merchant, stock=2, title="Lamp")
    fill_cart(api, user, variant, 2)
    Variant.objects.filter(pk=variant.pk).update(stock=1)  # someone else bought one

    response = pay(api, user)

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "out_of_stock",
        "message": "Only 1 of Lamp left; lower the quantity in your cart.",
        "field": "cart",
    }
    assert (Order.objects.count(), Payment.objects.count(), stock_of(variant)) == (0, 0, 1)


def test_untracked_and_continue_selling_variants_never_run_out(api, user, merchant):
    untracked = product_with_stock(merchant, stock=0)
    Variant.objects.filter(pk=untracked.pk).update(inventory_tracked=False)
    backorder = product_with_stock(merchant, stock=1)
    Variant.objects.filter(pk=backorder.pk).update(inventory_policy="continue")
    fill_cart(api, user, untracked, 4)
    fill_cart(api, user, backorder, 1)
    Variant.objects.filter(pk=backorder.pk).update(stock=0)

    response = pay(api, user)

    assert response.status_code == 201
    assert (stock_of(untracked), stock_of(backorder)) == (0, -1)


def test_a_cart_with_two_shops_needs_the_shop_named(api, user, merchant):
    fill_cart(api, user, product_with_stock(merchant))
    other = MerchantFactory(currency="EUR")
    fill_cart(api, user, product_with_stock(other))

    ambiguous = pay(api, user, key="x")
    chosen = pay(api, user, key="y", shop=other.user.handle)

    assert ambiguous.status_code == 400
    assert ambiguous.json()["error"]["code"] == "choose_shop"
    assert chosen.status_code == 201
    assert chosen.json()["order"]["total"]["currency"] == "EUR"
    assert CartItem.objects.filter(cart__user=user).count() == 1


def test_a_shop_that_does_not_ship_to_the_country_says_so(api, user):
    merchant = MerchantFactory(shipping_countries=["JP"])
    fill_cart(api, user, product_with_stock(merchant))

    response = pay(api, user)

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "shipping_address.country"


def test_bad_card_numbers_and_unknown_methods_are_refused_before_any_order(api, user, merchant):
    fill_cart(api, user, product_with_stock(merchant))

    short = pay(api, user, key="a", card="4242")
    method = api(user).post(
        "checkout",
        {"shipping_address": ADDRESS, "payment": {"method": "cash"}},
        headers={"Idempotency-Key": "b"},
    )

    assert short.json()["error"]["code"] == "invalid_card_number"
    assert method.json()["error"]["code"] == "unsupported_payment_method"
    assert not Order.objects.exists()


def test_an_order_is_visible_to_its_buyer_only(api, user, merchant):
    fill_cart(api, user, product_with_stock(merchant))
    order_id = pay(api, user).json()["order"]["id"]

    assert api(user).get(f"orders/{order_id}").status_code == 200
    assert api(UserFactory()).get(f"orders/{order_id}").status_code == 404
    assert api(merchant.user).get(f"orders/{order_id}").status_code == 404
    assert api(user).get("orders/not-a-uuid").status_code == 404
    assert api().get(f"orders/{order_id}").status_code == 401


def test_a_declined_card_leaves_nothing_in_the_merchants_orders(api, user, merchant):
    variant = product_with_stock(merchant, stock=3)
    fill_cart(api, user, variant)
    declined = pay(api, user, key="a", card=DECLINED)
    order_id = Order.objects.get().pk

    listed = api(merchant.user).get("shop/orders").json()

    assert declined.status_code == 402
    assert listed["items"] == []
    assert api(merchant.user).post(f"shop/orders/{order_id}/cancel").status_code == 404


def test_a_paid_order_is_in_the_merchants_orders_after_an_earlier_decline(api, user, merchant):
    variant = product_with_stock(merchant, stock=3)
    fill_cart(api, user, variant)
    pay(api, user, key="a", card=DECLINED)

    paid = pay(api, user, key="b").json()["order"]

    listed = api(merchant.user).get("shop/orders").json()["items"]
    assert [(order["id"], order["status"]) for order in listed] == [(paid["id"], "paid")]
