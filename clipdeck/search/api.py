"""Search and Discover API: search, suggestions, trending, hashtag pages."""

from __future__ import annotations

from ninja import Query, Router
from ninja.pagination import paginate

from clipdeck.kernel import ratelimit
from clipdeck.kernel.auth import viewer_auth, viewer_of
from clipdeck.kernel.pagination import CursorPagination
from clipdeck.search import discover as discovery
from clipdeck.search import selectors
from clipdeck.search.schemas import (
    DiscoverOut,
    HashtagPageOut,
    SearchOut,
    SearchType,
    SuggestionsOut,
)
from clipdeck.videos import selectors as video_selectors
from clipdeck.videos.presenters import video_page, viewer_state
from clipdeck.videos.schemas import VideoPage

router = Router(tags=["search"])
MAX_LIMIT = 50


@router.get(
    "/search",
    response=SearchOut,
    auth=viewer_auth,
    operation_id="search",
    summary="Ranked results you may see: videos, accounts, hashtags or sounds",
)
def search(
    request,
    q: str = Query(..., max_length=100),
    type: SearchType = "videos",
    offset: int = Query(0, ge=0, le=1000),
    limit: int = Query(20, ge=1, le=MAX_LIMIT),
):
    viewer = viewer_of(request)
    ratelimit.throttle("search", user_id=viewer.pk if viewer else None, ip=_ip(request))
    found = selectors.search(viewer, q, type, offset=offset, limit=limit)
    items = viewer_state(found.items, viewer) if type == "videos" else found.items
    lists = {"videos": [], "users": [], "hashtags": [], "sounds": []}
    lists[type] = items
    return {
        "query": found.query,
        "type": type,
        "corrected": found.corrected,
        "next_offset": found.next_offset,
        **lists,
    }


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


@router.get(
    "/search/suggestions",
    response=SuggestionsOut,
    auth=viewer_auth,
    operation_id="search_suggestions",
    summary="Accounts, hashtags and sounds that complete what is typed (from 2 characters)",
)
def suggestions(request, q: str = Query(..., max_length=100)):
    viewer = viewer_of(request)
    ratelimit.throttle("search", user_id=viewer.pk if viewer else None, ip=_ip(request))
    return {"items": selectors.suggest(viewer, q)}


@router.get(
    "/discover",
    response=DiscoverOut,
    auth=viewer_auth,
    operation_id="discover",
    summary="Trending hashtags, sounds and creators in this cell's region",
)
def discover(request):
    found = discovery.discover(viewer_of(request))
    return {
        "hashtags": [
            {"name": tag.name, "videos": tag.videos_count, "views": tag.views or 0}
            for tag in found["hashtags"]
        ],
        "sounds": found["sounds"],
        "creators": found["creators"],
    }


@router.get(
    "/hashtags/{name}",
    response=HashtagPageOut,
    auth=viewer_auth,
    operation_id="hashtag_get",
    summary="A hashtag page's header: videos you may see and their views",
)
def hashtag_get(request, name: str):
    return discovery.hashtag_header(viewer_of(request), name)


@router.get(
    "/hashtags/{name}/videos",
    response=VideoPage,
    auth=viewer_auth,
    operation_id="hashtag_videos",
    summary="Videos with this hashtag, newest first",
)
@paginate(CursorPagination, time_field="published_at", present=video_page)
def hashtag_videos(request, name: str):
    return video_selectors.with_relations(discovery.hashtag_videos(viewer_of(request), name))
