from __future__ import annotations

import pytest

from clipdeck.shop.models import Notification, Order, OrderEvent, Variant, VideoProduct
from tests.factories import UserFactory, VideoFactory
from tests.shop.factories import ADDRESS, MerchantFactory, product_with_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(api, user, merchant):
    variant = product_with_stock(merchant, stock=5)
    api(user).post(
        "cart/items", {"product_id": variant.product_id, "variant_id": variant.pk, "quantity": 2}
    )
    response = api(user).post(
        "checkout",
        {
            "shipping_address": ADDRESS,
            "payment": {"method": "test_card", "card_number": "4242424242424242"},
        },
        headers={"Idempotency-Key": "k"},
    )
    return Order.objects.get(pk=response.json()["order"]["id"])


def stock_of(order) -> int:
    return Variant.objects.get(pk=order.lines.get().variant_id).stock


def test_the_merchant_lists_its_orders_with_the_shipping_address(api, merchant, paid_order):
    response = api(merchant.user).get("shop/orders", {"status": "paid"})

    [order] = response.json()["items"]
    assert order["id"] == str(paid_order.pk)
    assert order["shipping_address"]["city"] == "London"
    assert api(merchant.user).get("shop/orders", {"status": "fulfilled"}).json()["items"] == []


def test_another_merchant_sees_and_changes_nothing(api, paid_order):
    other = MerchantFactory()

    assert api(other.user).get("shop/orders").json()["items"] == []
    for action in ("fulfil", "cancel", "refund"):
        response = api(other.user).post(f"shop/orders/{paid_order.pk}/{action}")
        assert response.status_code == 404
    assert Order.objects.get(pk=paid_order.pk).status == "paid"


def test_the_buyer_cannot_use_the_merchant_actions(api, user, paid_order):
    response = api(user).post(f"shop/orders/{paid_order.pk}/fulfil")

    assert response.status_code == 403
    assert Order.objects.get(pk=paid_order.pk).status == "paid"


def test_fulfil_then_refund_writes_an_audit_entry_each_and_emails_the_buyer(
    api, merchant, paid_order
):
    fulfilled = api(merchant.user).post(f"shop/orders/{paid_order.pk}/fulfil")
    refunded = api(merchant.user).post(f"shop/orders/{paid_order.pk}/refund")

    assert (fulfilled.json()["status"], refunded.json()["status"]) == ("fulfilled", "refunded")
    assert list(
        OrderEvent.objects.filter(order=paid_order).values_list("from_status", "to_status", "actor")
    ) == [
        ("", "pending", None),
        ("pending", "paid", None),
        ("paid", "fulfilled", merchant.user.pk),
        ("fulfilled", "refunded", merchant.user.pk),
    ]
    assert stock_of(paid_order) == 3  # shipped goods are not restocked
    assert paid_order.payments.get().status == "refunded"
    assert {"order_shipped", "order_refunded"} <= set(
        Notification.objects.values_list("kind", flat=True)
    )


def test_cancelling_a_paid_order_refunds_and_restocks(api, merchant, paid_order):
    response = api(merchant.user).post(f"shop/orders/{paid_order.pk}/cancel")

    assert response.json()["status"] == "cancelled"
    assert stock_of(paid_order) == 5
    assert paid_order.payments.get().status == "refunded"


@pytest.mark.parametrize(
    ("first", "then", "message"),
    [
        ("fulfil", "cancel", "This order can't be cancelled: it has been shipped."),
        ("cancel", "fulfil", "This order can't be fulfilled: it was cancelled."),
        ("refund", "refund", "This order can't be refunded: it was refunded."),
    ],
)
def test_a_transition_the_state_does_not_allow_is_409_with_the_reason(
    api, merchant, paid_order, first, then, message
):
    api(merchant.user).post(f"shop/orders/{paid_order.pk}/{first}")
    before = OrderEvent.objects.count()

    response = api(merchant.user).post(f"shop/orders/{paid_order.pk}/{then}")

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "invalid_transition",
        "message": message,
        "field": None,
    }
    assert OrderEvent.objects.count() == before


def test_the_dashboard_shows_the_funnel_of_each_video_and_orders_per_day(api, user, merchant):
    variant = product_with_stock(merchant, stock=5)
    video = VideoFactory(author=merchant.user, caption="Our mug")
    VideoProduct.objects.create(video=video, product=variant.product)
    viewer = api(user)
    viewer.post(f"videos/{video.pk}/products/impression")
    for _ in range(2):  # each viewer's impression counts once a day
        api(UserFactory()).post(f"videos/{video.pk}/products/impression")
    viewer.post(f"videos/{video.pk}/products/{variant.product_id}/tap")
    viewer.post(
        "cart/items",
        {"product_id": variant.product_id, "variant_id": variant.pk, "video_id": str(video.pk)},
    )
    viewer.post(
        "checkout",
        {
            "shipping_address": ADDRESS,
            "payment": {"method": "test_card", "card_number": "4242424242424242"},
        },
        headers={"Idempotency-Key": "k"},
    )

    body = api(merchant.user).get("shop/dashboard").json()

    assert body["funnels"] == [
        {
            "video_id": str(video.pk),
            "caption": "Our mug",
            "impressions": 3,
            "taps": 1,
            "add_to_carts": 1,
            "orders": 1,
        }
    ]
    assert body["total"]["orders"] == 1
    assert len(body["orders_per_day"]) == 14
    assert body["orders_per_day"][-1]["orders"] == 1
    assert api(UserFactory()).get("shop/dashboard").status_code == 403
