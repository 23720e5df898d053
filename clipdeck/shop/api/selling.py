"""The merchant's side: orders, their transitions and the dashboard figures."""

from __future__ import annotations

from typing import Literal

from ninja import Router

from clipdeck.kernel.auth import user_auth
from clipdeck.kernel.pagination import paginate
from clipdeck.shop import funnel, merchants, orders, presenters, selectors
from clipdeck.shop.schemas import DashboardOut, OrderOut, OrderPage

router = Router()
Status_ = Literal["pending", "paid", "fulfilled", "cancelled", "refunded"]


@router.get(
    "/shop/orders",
    response=OrderPage,
    auth=user_auth,
    operation_id="shop_orders",
    summary="Your shop's orders, newest first",
)
def shop_orders(
    request, status: Status_ | None = None, cursor: str | None = None, limit: int | None = None
):
    merchant = merchants.merchant_of(request.auth)
    page = paginate(selectors.merchant_orders(merchant, status), cursor=cursor, limit=limit)
    return {
        "items": [presenters.order_out(order) for order in page.items],
        "next_cursor": page.next_cursor,
    }


def _act(request, order_id: str, action) -> dict:
    merchant = merchants.merchant_of(request.auth)
    order = action(order=selectors.merchant_order(merchant, order_id), actor=request.auth)
    return presenters.order_out(selectors.merchant_order(merchant, order.pk))


@router.post(
    "/shop/orders/{order_id}/fulfil",
    response=OrderOut,
    auth=user_auth,
    operation_id="shop_order_fulfil",
    summary="Mark a paid order as shipped",
)
def shop_order_fulfil(request, order_id: str):
    return _act(request, order_id, orders.order_fulfil)


@router.post(
    "/shop/orders/{order_id}/cancel",
    response=OrderOut,
    auth=user_auth,
    operation_id="shop_order_cancel",
    summary="Cancel a paid order (refunds the buyer, restocks)",
)
def shop_order_cancel(request, order_id: str):
    return _act(request, order_id, orders.order_cancel)


@router.post(
    "/shop/orders/{order_id}/refund",
    response=OrderOut,
    auth=user_auth,
    operation_id="shop_order_refund",
    summary="Refund a paid or shipped order",
)
def shop_order_refund(request, order_id: str):
    return _act(request, order_id, orders.order_refund)


@router.get(
    "/shop/dashboard",
    response=DashboardOut,
    auth=user_auth,
    operation_id="shop_dashboard",
    summary="Per-video funnel and orders per day",
)
def shop_dashboard(request):
    merchant = merchants.merchant_of(request.auth)
    funnels = funnel.video_funnels(merchant)
    return {
        "shop": presenters.merchant_out(merchant),
        "funnels": [vars(row) for row in funnels],
        "total": vars(funnel.total_funnel(funnels)),
        "orders_per_day": [
            {"date": day.isoformat(), "orders": count}
            for day, count in funnel.orders_per_day(merchant)
        ],
    }
