"""Shop pages: storefront, product sheet fragment, cart, checkout, order, merchant dashboard.

Reads go through the same selectors (and so the same visibility rules) as the
API; buying happens in the browser through the API (``static/shop/shop.js``).
The dashboard's import and order actions are plain form posts to services (the
import form is taken over by ``shop.js``, which posts to the API and polls the
progress; without JS the page shows the latest import's state).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from clipdeck.accounts.models import User
from clipdeck.accounts.policies import profile_access
from clipdeck.kernel.auth import as_viewer
from clipdeck.kernel.errors import DomainError, NotFound
from clipdeck.kernel.ranged import serve_file
from clipdeck.shop import (
    charts,
    funnel,
    imports,
    merchants,
    orders,
    presenters,
    selectors,
)
from clipdeck.shop.importers.fetch import DEFAULT_MAX_BYTES
from clipdeck.shop.models import ImageState, Merchant, Product, ProductImage
from clipdeck.shop.money import format_money
from clipdeck.shop.policies import products_visible_to
from clipdeck.videos.media import media_urls

ACTIONS = {
    "fulfil": orders.order_fulfil,
    "cancel": orders.order_cancel,
    "refund": orders.order_refund,
}


def _viewer(request: HttpRequest) -> User | None:
    return as_viewer(request.user)


def storefront(request: HttpRequest, handle: str) -> HttpResponse:
    """A shop's catalog and the videos that show its products."""
    viewer = _viewer(request)
    owner = profile_access(viewer, handle)
    merchant = Merchant.objects.filter(user=owner).select_related("user").first()
    if merchant is None:
        raise Http404
    products = selectors.storefront_products(merchant, viewer)
    videos = selectors.shoppable_videos(merchant, viewer)[:24]
    cards = [{"video": v, "media": media_urls(v, viewer.pk if viewer else None)} for v in videos]
    return render(
        request,
        "shop/storefront.html",
        {
            "merchant": merchant,
            "products": [presenters.product_brief(product) for product in products],
            "cards": cards,
        },
    )


@require_safe
def product_image(request: HttpRequest, name: str) -> HttpResponseBase:
    """A product picture from the cell's own storage, to whoever may see the product."""
    image = (
        ProductImage.objects.filter(file=f"shop/images/{name}", state=ImageState.STORED)
        .select_related("product")
        .first()
    )
    if image is None:
        raise Http404
    try:
        selectors.product_access(_viewer(request), image.product_id)
    except NotFound:
        raise Http404 from None
    for_everyone = products_visible_to(Product.objects.filter(pk=image.product_id), None).exists()
    cache = "public, max-age=86400" if for_everyone else "private, max-age=3600"
    return serve_file(request, image.file.storage, image.file.name, cache_control=cache)


def product_sheet(request: HttpRequest, product_id: int) -> HttpResponse:
    """The HTML fragment a product chip opens: images, variants, price, stock, buy buttons."""
    product = selectors.product_access(_viewer(request), product_id)
    return render(
        request,
        "shop/product_sheet.html",
        {"product": presenters.product_out(product), "video_id": request.GET.get("video", "")},
    )


@login_required
def cart_page(request: HttpRequest) -> HttpResponse:
    cart = presenters.cart_out(selectors.cart_items(request.user))
    return render(request, "shop/cart.html", {"cart": cart})


@login_required
def checkout_page(request: HttpRequest) -> HttpResponse:
    cart = presenters.cart_out(selectors.cart_items(request.user))
    shop = request.GET.get("shop", "")
    shops = [s for s in cart["shops"] if not shop or s["handle"] == shop]
    return render(request, "shop/checkout.html", {"cart": cart, "shops": shops, "shop": shop})


@login_required
def order_page(request: HttpRequest, order_id) -> HttpResponse:
    order = selectors.buyer_order(request.user, order_id)
    return render(request, "shop/order.html", {"order": presenters.order_out(order)})


@login_required
def orders_page(request: HttpRequest) -> HttpResponse:
    """The buyer's own orders, newest first: shop, date, items, total and status."""
    rows = [
        {
            "order": order,
            "total": format_money(order.total, order.currency),
            "items": ", ".join(f"{line.quantity} × {line.title}" for line in order.lines.all()),
        }
        for order in selectors.buyer_orders(request.user)[:100]
    ]
    return render(request, "shop/orders.html", {"rows": rows, "nav": "profile"})


def _latest_import(merchant: Merchant) -> dict | None:
    job = imports.latest_import(merchant)
    return imports.import_out(job) if job else None


def _video_funnel_svg(index: int, row: funnel.VideoFunnel):
    title = f"Funnel of the video “{row.caption[:60]}”"
    return charts.funnel_svg(row.steps(), chart_id=f"funnel-{index}", title=title)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The merchant's products, orders, funnels and import form (or a form to open a shop)."""
    merchant = Merchant.objects.filter(user=request.user).select_related("user").first()
    if merchant is None:
        return render(request, "shop/open_shop.html", {})
    funnels = funnel.video_funnels(merchant)
    total = funnel.total_funnel(funnels)
    context = {
        "merchant": presenters.merchant_out(merchant),
        "products": [presenters.product_brief(p) for p in selectors.merchant_products(merchant)],
        "orders": [
            presenters.order_out(order)
            for order in selectors.merchant_orders(merchant).order_by("-created_at")[:50]
        ],
        "funnels": [
            {"row": row, "svg": _video_funnel_svg(i, row)} for i, row in enumerate(funnels)
        ],
        "total_svg": charts.funnel_svg(total.steps(), title="Funnel of all your videos"),
        "orders_svg": charts.orders_per_day_svg(funnel.orders_per_day(merchant)),
        "import_result": _latest_import(merchant),
        "message": request.session.pop("shop_message", None),
    }
    return render(request, "shop/dashboard.html", context)


@login_required
@require_POST
def open_shop(request: HttpRequest) -> HttpResponse:
    try:
        merchants.merchant_create(
            user=request.user,
            name=request.POST.get("name", ""),
            currency=request.POST.get("currency", ""),
            shipping_countries=request.POST.get("shipping_countries", "").replace(",", " ").split(),
        )
    except DomainError as error:
        return render(request, "shop/open_shop.html", {"error": error.message}, status=400)
    return redirect("shop-dashboard")


@login_required
@require_POST
def dashboard_import(request: HttpRequest) -> HttpResponse:
    """Queue an import of the posted file (or URL); the dashboard shows its progress."""
    upload = request.FILES.get("file")
    try:
        imports.import_start(
            merchant=merchants.merchant_of(request.user),
            data=_upload_bytes(upload) if upload else None,
            url=request.POST.get("url", ""),
        )
    except DomainError as error:
        request.session["shop_message"] = error.message
    return redirect("shop-dashboard")


def _upload_bytes(upload) -> bytes:
    limit = getattr(settings, "CLIPDECK_SHOP_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    if upload.size > limit:
        raise DomainError(f"The catalog file is larger than {limit:,} bytes.", code="too_large")
    return upload.read()


@login_required
@require_POST
def dashboard_order_action(request: HttpRequest, order_id, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    order = selectors.merchant_order(merchants.merchant_of(request.user), order_id)
    try:
        ACTIONS[action](order=order, actor=request.user)
    except DomainError as error:
        request.session["shop_message"] = error.message
    return redirect("shop-dashboard")
