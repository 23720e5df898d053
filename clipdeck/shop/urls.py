from django.urls import path

from clipdeck.shop import views

urlpatterns = [
    path("shop/dashboard", views.dashboard, name="shop-dashboard"),
    path("shop/dashboard/open", views.open_shop, name="shop-open"),
    path("shop/dashboard/import", views.dashboard_import, name="shop-import"),
    path(
        "shop/dashboard/orders/<uuid:order_id>/<str:action>",
        views.dashboard_order_action,
        name="shop-order-action",
    ),
    path("shop/images/<str:name>", views.product_image, name="shop-image"),
    path("shop/product/<int:product_id>/sheet", views.product_sheet, name="shop-product-sheet"),
    path("shop/<str:handle>", views.storefront, name="shop-storefront"),
    path("cart", views.cart_page, name="shop-cart"),
    path("checkout", views.checkout_page, name="shop-checkout"),
    path("orders", views.orders_page, name="shop-orders"),
    path("orders/<uuid:order_id>", views.order_page, name="shop-order"),
]
