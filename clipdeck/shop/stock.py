"""Stock moves only here, each a single conditional UPDATE.

``reserve`` subtracts only while enough stock remains: the WHERE clause does the
check, so two checkouts racing for the last unit cannot both succeed. On
PostgreSQL the second UPDATE waits for the first's row lock and re-checks the
condition; on SQLite writes are serialised by the database lock. No
read-then-write, so no row locks (which SQLite lacks) are needed.

``stock`` is what is left to sell: a reservation takes units from it and marks
the order line ``reserved``; cancelling a pending or paid order gives them back.
So the merchant's count of units on hand is ``stock`` plus what open (pending or
paid, not yet shipped) orders hold, and a catalog import that states that count
sets ``stock`` with :func:`set_on_hand`, never with a save of the whole row.
"""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce

from clipdeck.shop.models import InventoryPolicy, OrderLine, OrderStatus, Variant

# Orders whose reserved units are still in the merchant's hands (and come back
# on cancellation); a fulfilled order's units have left.
HOLDING = (OrderStatus.PENDING, OrderStatus.PAID)


def reserve(variant_id: int, quantity: int) -> bool:
    """Take ``quantity`` units if the variant may sell them; False when out of stock.

    Untracked variants always succeed without changing stock; "continue selling"
    variants succeed and may go below zero.
    """
    sellable = (
        Q(inventory_tracked=False)
        | Q(inventory_policy=InventoryPolicy.CONTINUE)
        | Q(stock__gte=quantity)
    )
    taken = Case(When(inventory_tracked=True, then=F("stock") - quantity), default=F("stock"))
    return Variant.objects.filter(sellable, pk=variant_id).update(stock=taken) == 1


def release(variant_id: int, quantity: int) -> None:
    """Give back units that ``reserve`` took from a tracked variant."""
    Variant.objects.filter(pk=variant_id, inventory_tracked=True).update(
        stock=F("stock") + quantity
    )


def can_sell(variant: Variant, quantity: int) -> bool:
    """Whether ``quantity`` units are available now (a hint; ``reserve`` decides)."""
    return variant.sells_unlimited or variant.stock >= quantity


def held(variant_id: int) -> int:
    """Units of the variant that open orders hold (reserved, not yet shipped)."""
    return Variant.objects.filter(pk=variant_id).values_list(_held_units(), flat=True).get()


def set_on_hand(variant_id: int, on_hand: int) -> int:
    """Make ``on_hand`` the variant's count of units: ``stock`` becomes ``on_hand``
    minus what open orders hold; returns the stock set.

    The stock and the held units are read in one statement, and the write moves
    stock by the difference to that read (``stock = stock + delta``) rather than
    storing a number, so a reservation or release committed in between is kept.
    """
    stock, holding = _stock_and_held(variant_id)
    delta = on_hand - holding - stock
    if delta:
        Variant.objects.filter(pk=variant_id).update(stock=F("stock") + delta)
    return stock + delta


def _stock_and_held(variant_id: int) -> tuple[int, int]:
    """The variant's stock and the units open orders hold, read in one statement."""
    return Variant.objects.filter(pk=variant_id).values_list("stock", _held_units()).get()


def _held_units() -> Coalesce:
    lines = (
        OrderLine.objects.filter(variant=OuterRef("pk"), reserved=True, order__status__in=HOLDING)
        .values("variant")
        .annotate(units=Sum("quantity"))
        .values("units")
    )
    return Coalesce(Subquery(lines, output_field=IntegerField()), 0)
