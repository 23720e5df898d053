"""Dashboard figures: per video, chip impressions → product taps → add to cart → orders.

Impressions, taps and add-to-carts are counters on the tag (``VideoProduct``),
no per-viewer rows; orders are paid orders with a line bought from the video.

The videos come from the visibility policy (``Video.objects.visible_to``) for
the merchant's account, never from the tags alone: another account may tag
the shop's products in a private video, a draft, or after blocking the
merchant, and the merchant learns nothing of those (not even that they exist).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from clipdeck.shop.models import Merchant, Order, OrderLine, OrderStatus, VideoProduct
from clipdeck.videos.models import Video

SOLD = [OrderStatus.PAID, OrderStatus.FULFILLED, OrderStatus.REFUNDED]


@dataclass(frozen=True)
class VideoFunnel:
    video_id: str
    caption: str
    impressions: int
    taps: int
    add_to_carts: int
    orders: int

    def steps(self) -> list[tuple[str, int]]:
        return [
            ("Impressions", self.impressions),
            ("Product taps", self.taps),
            ("Added to cart", self.add_to_carts),
            ("Orders", self.orders),
        ]


def _caption(row: dict) -> str:
    """The caption of a ``values()`` row: sealed with the author's key in the database."""
    field = Video._meta.get_field("caption")
    return field.open(row["video__author_id"], row["video__caption"])  # type: ignore[union-attr]


def video_funnels(merchant: Merchant) -> list[VideoFunnel]:
    """One funnel per video the merchant may see that tags this shop's products,
    most impressions first."""
    visible = Video.objects.visible_to(merchant.user).values("pk")
    counts = (
        VideoProduct.objects.filter(product__merchant=merchant, video__in=visible)
        .values("video_id", "video__author_id", "video__caption")
        .annotate(
            impressions=Sum("impressions"), taps=Sum("taps"), add_to_carts=Sum("add_to_carts")
        )
    )
    orders = dict(
        OrderLine.objects.filter(
            order__merchant=merchant, order__status__in=SOLD, source_video__isnull=False
        )
        .values("source_video_id")
        .annotate(n=Count("order", distinct=True))
        .values_list("source_video_id", "n")
    )
    funnels = [
        VideoFunnel(
            video_id=str(row["video_id"]),
            caption=_caption(row),
            impressions=row["impressions"] or 0,
            taps=row["taps"] or 0,
            add_to_carts=row["add_to_carts"] or 0,
            orders=orders.get(row["video_id"], 0),
        )
        for row in counts
    ]
    return sorted(funnels, key=lambda funnel: (-funnel.impressions, funnel.video_id))


def total_funnel(funnels: list[VideoFunnel]) -> VideoFunnel:
    """All videos together."""
    return VideoFunnel(
        video_id="",
        caption="All videos",
        impressions=sum(f.impressions for f in funnels),
        taps=sum(f.taps for f in funnels),
        add_to_carts=sum(f.add_to_carts for f in funnels),
        orders=sum(f.orders for f in funnels),
    )


def orders_per_day(merchant: Merchant, days: int = 14, today: date | None = None):
    """``[(date, paid orders placed that day)]`` for the last ``days`` days, oldest first."""
    today = today or timezone.now().date()
    start = today - timedelta(days=days - 1)
    counted = dict(
        Order.objects.filter(merchant=merchant, status__in=SOLD, created_at__date__gte=start)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    return [
        (start + timedelta(days=i), counted.get(start + timedelta(days=i), 0)) for i in range(days)
    ]
