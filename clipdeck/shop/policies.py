"""Who may see which product: the shop's part of the one visibility policy.

It composes the profile rules of ``clipdeck.accounts.policies`` (P1–P3): a
product is no more visible than the account that sells it. The rules:

Products (``Product.objects.visible_to``, ``product_access``)
    M1. A product is seen only by viewers who may open its merchant's profile
        (P1–P2): nobody sees the products of a deactivated account, and a
        merchant's products are hidden from anyone the merchant blocked.
    M2. The merchant sees every product of their own shop, drafts and archived
        ones included.
    M3. Anyone else, anonymous viewers included, sees only products on sale:
        active and published.
    M4. A product removed by moderation is on sale to nobody: only its
        merchant sees it (M2).

``for_sale=True`` asks for M3 even of the merchant's own products: what can be
put in a cart, or counted in a video's funnel. Videos that tag products are
seen under the video rules (``clipdeck.videos.visibility``). "Not allowed"
and "does not exist" answer the same ``NotFound``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from clipdeck.accounts.models import User
from clipdeck.kernel.auth import as_viewer
from clipdeck.kernel.errors import NotFound
from clipdeck.shop.models import Product, ProductStatus

NO_PRODUCT = "This product does not exist or is not for sale."


def products_visible_to(
    queryset: QuerySet[Product], viewer: User | None, *, for_sale: bool = False
) -> QuerySet[Product]:
    """Rules M1–M3: the products of ``queryset`` that ``viewer`` may see."""
    viewer = as_viewer(viewer)
    on_sale = Q(status=ProductStatus.ACTIVE, published=True, removed=False)
    shown = on_sale if viewer is None or for_sale else on_sale | Q(merchant__user=viewer)
    merchants = User.objects.visible_to(viewer)
    return queryset.filter(shown, merchant__user__in=merchants)


def product_access(
    viewer: User | None,
    product_id: object,
    *,
    for_sale: bool = False,
    queryset: QuerySet[Product] | None = None,
) -> Product:
    """The product if ``viewer`` may see it (M1–M3), else NotFound, the same as for a missing one.

    ``queryset`` is where to look (with its related rows loaded); all products by default.
    """
    base = Product.objects.all() if queryset is None else queryset
    products = products_visible_to(base, viewer, for_sale=for_sale)
    try:
        return products.get(pk=product_id)
    except (Product.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound(NO_PRODUCT) from None


__all__ = ["NO_PRODUCT", "product_access", "products_visible_to"]
