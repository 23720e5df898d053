"""Many buyers racing for the last units: never oversell, never double charge.

Real threads, each with its own database connection, against the real API.
Run it on PostgreSQL too: DATABASE_URL=postgres://… .venv/bin/pytest tests/shop -k concurrent
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection, connections

from clipdeck.shop.models import Order, Payment, Variant
from tests.factories import UserFactory
from tests.shop.factories import ADDRESS, MerchantFactory, product_with_stock

pytestmark = pytest.mark.django_db(transaction=True)

BUYERS = 50
UNITS = 10


@pytest.fixture(autouse=True)
def project_database(transactional_db, tmp_path):
    """On SQLite, race on a database file with the project's settings (WAL, IMMEDIATE).

    Django tests SQLite in memory with a shared cache, whose table locks fail at
    once instead of waiting like the file database Clipdeck runs on. Threads
    open their connections from the same settings, so pointing them at a
    migrated file tests what production does. PostgreSQL runs as configured.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    in_memory, in_memory_settings = connections["default"], connections.settings["default"]
    connections.settings["default"] = {**in_memory_settings, "NAME": str(tmp_path / "race.db")}
    connections["default"] = connections.create_connection("default")
    try:
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        yield
    finally:
        connections["default"].close()
        connections["default"] = in_memory
        connections.settings["default"] = in_memory_settings


def race(calls) -> list:
    """Run each call in its own thread, released together; their results in order."""
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            start.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def checkout_call(api, user, key: str):
    client = api(user)
    body = {
        "shipping_address": ADDRESS,
        "payment": {"method": "test_card", "card_number": "4242424242424242"},
    }
    return lambda: client.post("checkout", body, headers={"Idempotency-Key": key})


def test_fifty_concurrent_checkouts_for_ten_units_make_ten_orders_and_forty_clear_refusals(api):
    variant = product_with_stock(MerchantFactory(), stock=UNITS, title="Limited print")
    buyers = [UserFactory() for _ in range(BUYERS)]
    for buyer in buyers:
        api(buyer).post("cart/items", {"product_id": variant.product_id, "variant_id": variant.pk})

    responses = race([checkout_call(api, buyer, f"key-{buyer.pk}") for buyer in buyers])

    assert Counter(response.status_code for response in responses) == {201: UNITS, 409: 40}
    refusals = {r.json()["error"]["message"] for r in responses if r.status_code == 409}
    assert refusals == {"Sorry, Limited print is sold out."}
    assert Variant.objects.get(pk=variant.pk).stock == 0
    assert Order.objects.filter(status="paid").count() == UNITS
    assert Order.objects.count() == UNITS
    assert Payment.objects.filter(status="captured").count() == UNITS


def test_one_idempotency_key_sent_ten_times_at_once_charges_once(api):
    variant = product_with_stock(MerchantFactory(), stock=5)
    buyer = UserFactory()
    api(buyer).post("cart/items", {"product_id": variant.product_id, "variant_id": variant.pk})

    responses = race([checkout_call(api, buyer, "same-key") for _ in range(10)])

    assert Order.objects.count() == 1
    assert Payment.objects.count() == 1
    assert Variant.objects.get(pk=variant.pk).stock == 4
    order_id = str(Order.objects.get().pk)
    for response in responses:
        assert response.status_code in (200, 201, 409)
        if response.status_code != 409:
            assert response.json()["order"]["id"] == order_id
        else:
            assert response.json()["error"]["code"] == "checkout_in_progress"
