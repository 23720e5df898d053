"""A catalog import sets stock from the file's count without losing reservations:
units that open orders hold stay taken, even when a checkout reserves them while
the import runs."""

from __future__ import annotations

import pytest

from clipdeck.shop import catalog, orders, stock
from clipdeck.shop.models import Order, OrderLine, OrderStatus, Variant
from tests.factories import UserFactory
from tests.shop.test_import_edge_cases import csv_bytes

pytestmark = pytest.mark.django_db

MUG = "mug,Mug,,TRUE,active,Size,Small,MUG-S,shopify,{},deny,12,"


def import_mugs(merchant, on_hand: int) -> Variant:
    catalog.catalog_import(merchant=merchant, data=csv_bytes(MUG.format(on_hand)))
    return Variant.objects.get(product__merchant=merchant, sku="MUG-S")


def checkout(variant: Variant, units: int, status: str = OrderStatus.PENDING) -> Order:
    """What a checkout does: reserve the units and record them on an order line."""
    assert stock.reserve(variant.pk, units)
    order = Order.objects.create(
        buyer=UserFactory(),
        merchant=variant.product.merchant,
        currency="USD",
        subtotal=1200 * units,
        total=1200 * units,
        shipping_address="{}",
        idempotency_key=f"key-{units}-{status}",
        request_hash="x",
        status=status,
    )
    OrderLine.objects.create(
        order=order,
        product=variant.product,
        variant=variant,
        title="Mug",
        unit_price=1200,
        quantity=units,
        reserved=True,
    )
    return order


def stock_of(variant: Variant) -> int:
    return Variant.objects.values_list("stock", flat=True).get(pk=variant.pk)


def test_a_reimport_leaves_the_units_of_open_orders_taken(merchant):
    mug = import_mugs(merchant, 10)
    checkout(mug, 2)
    checkout(mug, 3, status=OrderStatus.PAID)
    checkout(mug, 1, status=OrderStatus.FULFILLED)  # shipped: not on hand any more

    import_mugs(merchant, 10)

    assert stock_of(mug) == 5
    assert stock.held(mug.pk) == 5


def test_a_cancelled_order_after_a_reimport_gives_back_only_what_it_held(merchant):
    mug = import_mugs(merchant, 10)
    order = checkout(mug, 2)
    import_mugs(merchant, 10)

    orders.order_payment_failed(order=order, reason="declined")

    assert stock_of(mug) == 10


def test_a_reservation_between_the_imports_read_and_write_is_not_lost(merchant, monkeypatch):
    mug = import_mugs(merchant, 10)
    read_variants = catalog._matching_variant

    def then_a_checkout(existing, record):
        found = read_variants(existing, record)  # the import has read the row
        checkout(mug, 4)
        return found

    monkeypatch.setattr(catalog, "_matching_variant", then_a_checkout)
    import_mugs(merchant, 10)

    assert stock_of(mug) == 6
    assert stock.held(mug.pk) == 4


def test_a_reservation_between_set_on_hands_read_and_update_is_kept(merchant, monkeypatch):
    mug = import_mugs(merchant, 10)
    read = stock._stock_and_held

    def read_then_a_checkout(variant_id):
        counts = read(variant_id)
        checkout(mug, 3)
        return counts

    monkeypatch.setattr(stock, "_stock_and_held", read_then_a_checkout)

    stock.set_on_hand(mug.pk, 8)

    assert stock_of(mug) == 5  # 8 on hand, 3 held by the checkout that came in between


def test_the_import_never_saves_the_stock_column_of_an_existing_variant(merchant, monkeypatch):
    mug = import_mugs(merchant, 10)
    saved: list[list[str] | None] = []
    save = Variant.save

    def recording_save(self, *args, **kwargs):
        saved.append(kwargs.get("update_fields"))
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Variant, "save", recording_save)
    import_mugs(merchant, 7)

    assert saved and all(fields is not None and "stock" not in fields for fields in saved)
    assert stock_of(mug) == 7
