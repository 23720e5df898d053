"""Stock moves only here, each a single conditional UPDATE.

``reserve`` subtracts only while enough stock remains: the WHERE clause does the
check, so two checkouts racing for the last unit cannot both succeed. On
PostgreSQL the second UPDATE waits for the first's row lock and re-checks the
condition; on SQLite writes are serialised by the database lock. No
read-then-write, so no row locks (which SQLite lacks) are needed.
"""

from __future__ import annotations

from django.db.models import Case, F, Q, When

from clipdeck.shop.models import InventoryPolicy, Variant


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
