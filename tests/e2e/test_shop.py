"""Buying from a video: product chip in the feed → sheet → checkout → order → dashboard."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from clipdeck.studio.engine.synth import make_clip
from tests.e2e.conftest import screenshot
from tests.e2e.test_journey import post_via_api, sign_up

pytestmark = pytest.mark.xdist_group("browser")


def call(page, method: str, path: str, body: dict):
    csrf = page.evaluate("document.body.dataset.csrf")
    response = page.request.fetch(
        f"/api/v1/{path}",
        method=method,
        headers={"X-CSRFToken": csrf, "Referer": page.url},
        data=body,
    )
    assert response.ok, response.text()
    return response.json()


def test_a_viewer_buys_a_tagged_product_from_the_feed(new_page, tmp_path):
    merchant = new_page()
    sign_up(merchant, "ivy_ceramics")
    call(merchant, "POST", "shop", {"name": "Ivy Ceramics", "currency": "USD"})
    product = call(
        merchant,
        "POST",
        "shop/products",
        {"title": "Speckled mug", "variants": [{"price": 2800, "stock": 3, "sku": "MUG-1"}]},
    )
    clip = make_clip(tmp_path / "mug.mp4", seconds=1.5, width=180, height=320, scene="gradient")
    video = post_via_api(merchant, clip, "fresh out of the kiln #pottery")
    call(merchant, "PUT", f"videos/{video}/products", {"product_ids": [product["id"]]})

    buyer = new_page()
    sign_up(buyer, "jo_buys")
    item = buyer.locator(f'.feed-item[data-id="{video}"]')
    expect(item).to_be_attached()
    item.scroll_into_view_if_needed()  # chips load for the video in view only
    expect(item.get_by_text("Shoppable · contains products")).to_be_visible()
    item.get_by_role("button", name=re.compile("Speckled mug")).click()
    sheet = buyer.locator("dialog[open]")
    expect(sheet.get_by_role("heading", name="Speckled mug")).to_be_visible()
    screenshot(buyer, "product-sheet")
    sheet.get_by_role("button", name="Add to cart").click()
    expect(sheet.get_by_text("Added to your cart.")).to_be_visible()
    sheet.get_by_role("button", name="Buy now").click()  # buys one, not the cart's one plus one

    expect(buyer).to_have_url(re.compile(r"/checkout"))
    buyer.get_by_label("Full name").fill("Jo Buyer")
    buyer.get_by_label("Address").fill("1 Main Street")
    buyer.get_by_label("City").fill("Springfield")
    buyer.get_by_label("Postal code").fill("12345")
    buyer.get_by_label("Country (two letters, e.g. US)").fill("US")
    buyer.get_by_label("Card number").fill("4242424242424242")
    buyer.get_by_role("button", name="Pay now").click()

    expect(buyer).to_have_url(re.compile(r"/orders/"))
    expect(buyer.locator("[data-order-status]")).to_have_text("Paid")
    expect(buyer.locator("tfoot")).to_contain_text("$28.00")
    screenshot(buyer, "order")
    buyer.goto("/orders")
    expect(buyer.get_by_role("link", name=re.compile("Ivy Ceramics"))).to_contain_text(
        "1 × Speckled mug"
    )
    screenshot(buyer, "orders")

    merchant.goto("/shop/dashboard")
    orders = merchant.locator("tr[data-order]")
    expect(orders).to_have_count(1)
    expect(orders.first).to_contain_text("@jo_buys")
    expect(orders.first).to_contain_text("$28.00")
    screenshot(merchant, "merchant-dashboard")
    assert buyer.errors == [] and merchant.errors == []


def _api(server: str, method: str, path: str, body=None, token=None, headers=None):
    """One JSON call to the running server; returns (status, body)."""
    request = urllib.request.Request(  # noqa: S310 - our own http URL
        f"{server}/api/v1/{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {token}"} if token else {}),
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_fifty_concurrent_checkouts_for_ten_units_sell_exactly_ten(clipdeck_server):
    def signup(handle: str) -> str:
        status, body = _api(
            clipdeck_server,
            "POST",
            "auth/signup",
            {"handle": handle, "email": f"{handle}@example.com", "password": "long enough pw"},
        )
        assert status == 201, body
        return body["token"]

    seller = signup("kit_sells")
    _api(clipdeck_server, "POST", "shop", {"name": "Kit's Ten", "currency": "EUR"}, seller)
    status, product = _api(
        clipdeck_server,
        "POST",
        "shop/products",
        {"title": "Limited print", "variants": [{"price": 1500, "stock": 10}]},
        seller,
    )
    assert status == 201, product
    variant = product["variants"][0]["id"]
    buyers = [signup(f"buyer_{n:02d}") for n in range(50)]
    for token in buyers:
        status, _ = _api(
            clipdeck_server,
            "POST",
            "cart/items",
            {"product_id": product["id"], "variant_id": variant, "quantity": 1},
            token,
        )
        assert status in (200, 201)

    checkout = {
        "shipping_address": {"name": "B", "line1": "1 Road", "city": "Lyon", "country": "FR"},
        "payment": {"method": "test_card", "card_number": "4242424242424242"},
    }

    def buy(token: str):
        key = {"Idempotency-Key": f"key-{token[-12:]}"}
        return _api(clipdeck_server, "POST", "checkout", checkout, token, key)

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(buy, buyers))

    statuses = sorted(status for status, _ in results)
    assert statuses.count(201) == 10
    assert statuses.count(409) == 40
    sold_out = [body["error"]["message"] for status, body in results if status == 409]
    assert all("sold out" in message.lower() for message in sold_out)
    status, after = _api(clipdeck_server, "GET", f"products/{product['id']}")
    assert after["variants"][0]["stock"] == 0 and after["in_stock"] is False
    status, orders = _api(clipdeck_server, "GET", "shop/orders", token=seller)
    assert len([o for o in orders["items"] if o["status"] == "paid"]) == 10
