"""A demo merchant: Chef Kofi sells his kitchen kit and tags it in his videos."""

from __future__ import annotations

from clipdeck.accounts.models import User
from clipdeck.shop.merchants import merchant_create
from clipdeck.shop.models import Merchant
from clipdeck.shop.products import product_create
from clipdeck.shop.tags import video_products_set
from clipdeck.videos.models import Video, VideoStatus

MERCHANT = "chef_kofi"
PRODUCTS = [
    {
        "title": "Cast-iron skillet",
        "description_html": "<p>The one pan behind every one-pan dinner. 26 cm, pre-seasoned.</p>",
        "option_names": ["Size"],
        "variants": [
            {"option_values": ["26 cm"], "price": 3900, "sku": "SKILLET-26", "stock": 25},
            {"option_values": ["30 cm"], "price": 4900, "sku": "SKILLET-30", "stock": 8},
        ],
    },
    {
        "title": "Smoked chilli flakes",
        "description_html": "<p>Hot, smoky, a little sweet. 80 g jar.</p>",
        "variants": [{"price": 850, "compare_at_price": 1100, "sku": "CHILLI-80", "stock": 120}],
    },
    {
        "title": "Kofi's apron",
        "description_html": "<p>Heavy cotton, two pockets, one towel loop.</p>",
        "option_names": ["Colour"],
        "variants": [
            {"option_values": ["Charcoal"], "price": 2400, "sku": "APRON-CH", "stock": 3},
            {"option_values": ["Mustard"], "price": 2400, "sku": "APRON-MU", "stock": 0},
        ],
    },
]


def seed_shop() -> Merchant | None:
    """Open the demo shop and tag its products in the merchant's published videos."""
    user = User.objects.filter(handle=MERCHANT).first()
    if user is None or Merchant.objects.filter(user=user).exists():
        return None
    merchant = merchant_create(
        user=user, name="Kofi's Kitchen", currency="USD", shipping_countries=["US", "CA"]
    )
    products = [product_create(merchant=merchant, **spec) for spec in PRODUCTS]
    videos = Video.objects.filter(author=user, status=VideoStatus.PUBLISHED).order_by("created_at")
    for video, tagged in zip(videos, [products[:2], products[1:]], strict=False):
        video_products_set(user=user, video_id=video.pk, product_ids=[p.pk for p in tagged])
    return merchant
