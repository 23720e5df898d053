"""The shop's API (one router, three modules): catalog and tags, buying, selling."""

from __future__ import annotations

from ninja import Router

from clipdeck.shop.api import buying, catalog, selling

router = Router(tags=["shop"])
router.add_router("", catalog.router)
router.add_router("", buying.router)
router.add_router("", selling.router)
