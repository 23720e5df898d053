"""Products tagged in videos, and the counts of their funnel.

Who may tag: the video's author, with up to ``MAX_TAGS`` products. A merchant
tags their own products in any status; any author (creator or merchant) may
also tag other shops' products that are on sale (active and published), as
creators do for affiliate posts. Viewers see only the tags of videos the
visibility policy lets them see, and only products on sale.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from clipdeck.kernel import ratelimit
from clipdeck.kernel.counting import actor_of, first_in_window
from clipdeck.kernel.errors import Forbidden, InvalidInput, Kind, NotFound
from clipdeck.shop.models import Product, VideoProduct
from clipdeck.videos.visibility import video_access

MAX_TAGS = 6


def _product_ids(product_ids: list[int]) -> list[int]:
    unique = list(dict.fromkeys(product_ids))
    if len(unique) > MAX_TAGS:
        raise InvalidInput(
            f"A video can show at most {MAX_TAGS} products; you chose {len(unique)}.",
            code="too_many_products",
            field="product_ids",
            kind=Kind.UNPROCESSABLE,
        )
    return unique


def _taggable(user, product_ids: list[int]) -> dict[int, Product]:
    found = Product.objects.visible_to(user).in_bulk(product_ids)
    missing = [pk for pk in product_ids if pk not in found]
    if missing:
        raise NotFound(
            f"Product {missing[0]} does not exist or is not for sale.", field="product_ids"
        )
    return found


@transaction.atomic
def video_products_set(*, user, video_id, product_ids: list[int]) -> list[VideoProduct]:
    """Replace the products tagged in the caller's video; counts of kept tags survive."""
    video = video_access(user, video_id)
    if video.author_id != user.pk:
        raise Forbidden("Only the video's author can tag products in it.")
    wanted = _product_ids(product_ids)
    _taggable(user, wanted)
    VideoProduct.objects.filter(video=video).exclude(product_id__in=wanted).delete()
    for position, product_id in enumerate(wanted, start=1):
        VideoProduct.objects.update_or_create(
            video=video, product_id=product_id, defaults={"position": position}
        )
    return list(VideoProduct.objects.filter(video=video).select_related("product"))


def _count(viewer, video_id, field: str, *, ip: str | None, **filters) -> int:
    """Count ``field`` on the visible tags; each viewer (or network) once per day.

    Returns how many tags matched, counted or not; anonymous callers are rate limited.
    """
    if viewer is None:
        ratelimit.throttle("count", user_id=None, ip=ip)
    video = video_access(viewer, video_id)
    on_sale = Product.objects.visible_to(viewer, for_sale=True)
    tags = VideoProduct.objects.filter(video=video, product__in=on_sale, **filters)
    actor = actor_of(user_id=viewer.pk if viewer else None, ip=ip)
    subject = f"{video.pk}:{filters.get('product_id', '*')}"
    if not first_in_window(f"shop:{field}", actor=actor, subject=subject):
        return tags.count()
    return tags.update(**{field: F(field) + 1})


def video_products_impression(*, viewer, video_id, ip: str | None = None) -> int:
    """Count one showing of the video's product chips; returns how many chips were counted."""
    return _count(viewer, video_id, "impressions", ip=ip)


def video_product_tap(*, viewer, video_id, product_id: int, ip: str | None = None) -> None:
    """Count a tap on a product chip; 404 when the video or the tag is not visible."""
    if not _count(viewer, video_id, "taps", ip=ip, product_id=product_id):
        raise NotFound("This product is not tagged in this video.")


def count_add_to_cart(*, video, product_id: int) -> None:
    """Credit an add-to-cart to the video it came from, if the product is tagged there."""
    VideoProduct.objects.filter(video=video, product_id=product_id).update(
        add_to_carts=F("add_to_carts") + 1
    )
