from __future__ import annotations

import pytest

from clipdeck.shop.models import Merchant
from clipdeck.shop.sealed_fields import payout_account
from tests.factories import UserFactory
from tests.shop.factories import MerchantFactory

pytestmark = pytest.mark.django_db


def test_an_account_opens_one_shop_and_the_payout_account_is_never_shown_in_full(api, user):
    response = api(user).post(
        "shop",
        {
            "name": "Ada's Goods",
            "currency": "jpy",
            "shipping_countries": ["jp", "US"],
            "payout_account": "DE89 3704 0044 0532 0130 00",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "handle": user.handle,
        "name": "Ada's Goods",
        "currency": "JPY",
        "shipping_countries": ["JP", "US"],
        "payout_account_last4": "3000",
        "created_at": body["created_at"],
    }
    assert "DE89" not in response.content.decode()
    stored = Merchant.objects.get(user=user)
    assert "DE89" not in stored.payout_account  # sealed with the merchant's data key
    assert payout_account(stored) == "DE89370400440532013000"
    assert api(user).get("shop").json()["payout_account_last4"] == "3000"


def test_a_second_shop_for_the_same_account_is_a_conflict(api, user):
    api(user).post("shop", {"name": "One", "currency": "USD"})

    response = api(user).post("shop", {"name": "Two", "currency": "USD"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_a_merchant"
    assert Merchant.objects.get(user=user).name == "One"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "X", "currency": "ABC"}, "currency"),
        ({"name": "X", "currency": "USD", "shipping_countries": ["USA"]}, "shipping_countries"),
        ({"name": "X", "currency": "USD", "payout_account": "12"}, "payout_account"),
        ({"name": " ", "currency": "USD"}, "name"),
    ],
)
def test_bad_shop_details_name_the_field(api, user, payload, field):
    response = api(user).post("shop", payload)

    assert response.status_code == 400
    assert response.json()["error"]["field"] == field
    assert not Merchant.objects.exists()


def test_shop_endpoints_tell_a_non_merchant_to_open_a_shop(api, user):
    for response in (
        api(user).get("shop/products"),
        api(user).get("shop/orders"),
        api(user).get("shop/dashboard"),
        api(user).post("shop/catalog/import", {}, multipart=True),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "not_a_merchant"


def test_anonymous_callers_must_sign_in_to_open_a_shop(api):
    assert api().post("shop", {"name": "X", "currency": "USD"}).status_code == 401


def test_a_merchant_changes_the_payout_account_and_still_sees_only_last4(api):
    merchant = MerchantFactory()

    response = api(merchant.user).patch("shop", {"payout_account": "GB29NWBK60161331926819"})

    assert response.json()["payout_account_last4"] == "6819"
    assert "GB29" not in response.content.decode()


def test_the_payout_account_is_protected_in_the_data_inventory():
    from clipdeck.kernel.personal_data import DataClass, lookup

    assert lookup(Merchant, "payout_account").data_class == DataClass.PROTECTED
    assert UserFactory._meta.model is not None
