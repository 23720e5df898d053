"""The one NinjaAPI: routers of every app under /api/v1, docs at /api/docs."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from clipdeck.accounts.api import router as accounts_router
from clipdeck.accounts.two_factor_api import router as two_factor_router
from clipdeck.analytics.api import router as analytics_router
from clipdeck.api.errors import register as register_errors
from clipdeck.federation.api import router as federation_router
from clipdeck.feed.api import router as feed_router
from clipdeck.inbox.api import router as inbox_router
from clipdeck.kernel.pagination import INPUT_SCHEMA_NAME
from clipdeck.moderation.api import router as moderation_router
from clipdeck.privacy.api import add_erase_operation
from clipdeck.privacy.api import router as privacy_router
from clipdeck.search.api import router as search_router
from clipdeck.shop.api import router as shop_router
from clipdeck.studio.api import router as studio_router
from clipdeck.videos.api import router as videos_router
from clipdeck.videos.controls_api import router as controls_router
from clipdeck.videos.threads_api import router as threads_router


class ClipdeckAPI(NinjaAPI):
    """The NinjaAPI whose document lists only the schemas clients read."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> dict:
        """Ninja's document, less the query model of ``@paginate`` (already parameters)."""
        document = super().get_openapi_schema(*args, **kwargs)
        document.get("components", {}).get("schemas", {}).pop(INPUT_SCHEMA_NAME, None)
        return document


api = ClipdeckAPI(
    title="Clipdeck API",
    version="1",
    description="The public API of Clipdeck. Reads of things you may not see answer 404.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
register_errors(api)
add_erase_operation(accounts_router)

for router in (
    accounts_router,
    two_factor_router,
    videos_router,
    studio_router,
    privacy_router,
    feed_router,
    shop_router,
    federation_router,
    moderation_router,
    controls_router,
    search_router,
    threads_router,
    inbox_router,
    analytics_router,
):
    api.add_router("/v1", router)
