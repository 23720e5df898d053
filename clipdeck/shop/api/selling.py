"""The merchant's side: orders, their transitions and the dashboard figures."""

# No ``from __future__ import annotations``: ``@paginate`` wraps the handlers, and
# Ninja reads the wrapper's annotations, which must be objects, not names.
from ninja import Router
from ninja.pagination import paginate

from clipdeck.kernel.auth import user_auth
from clipdeck.kernel.pagination import CursorPagination
from clipdeck.shop import funnel, merchants, orders, presenters, selectors
from clipdeck.shop.schemas import DashboardOut, OrderOut, OrderPage, OrderStatusName

router = Router()
Status_ = OrderStatusName


@router.get(
    "/shop/orders",
    response=OrderPage,
    auth=user_auth,
    operation_id="shop_orders",
    summary="Your shop's orders, newest first",
)
@paginate(CursorPagination, present=lambda items, _: list(map(presenters.order_out, items)))
def shop_orders(request, status: Status_ | None = None):
    return selectors.merchant_orders(merchants.merchant_of(request.auth), status)


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
