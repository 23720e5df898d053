"""Search, Discover and hashtag pages: rendered here from the search app's reads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clipdeck.kernel.errors import InvalidInput, NotFound
from clipdeck.search import discover as discovery
from clipdeck.search import selectors
from clipdeck.search.index import KINDS
from clipdeck.videos import selectors as video_selectors
from clipdeck.web.pages import GRID_SIZE, cards
from clipdeck.web.viewer import viewer_of

TAB_LABELS = {"videos": "Videos", "users": "Accounts", "hashtags": "Hashtags", "sounds": "Sounds"}


def search_page(request: HttpRequest) -> HttpResponse:
    """Results of one tab (videos, accounts, hashtags, sounds) for ``?q=``."""
    viewer = viewer_of(request)
    query = request.GET.get("q", "").strip()[: selectors.MAX_QUERY]
    kind = request.GET.get("type", "videos")
    kind = kind if kind in KINDS else "videos"
    found = None
    error = ""
    if query:
        try:
            found = selectors.search(viewer, query, kind, limit=GRID_SIZE)
        except InvalidInput as bad:
            error = bad.message
    items = found.items if found else []
    return render(
        request,
        "web/search.html",
        {
            "query": query,
            "kind": kind,
            "tabs": [(name, TAB_LABELS[name]) for name in KINDS],
            "found": found,
            "error": error,
            "cards": cards(items, viewer) if kind == "videos" else [],
            "items": items,
            "nav": "discover",
        },
    )


def discover_page(request: HttpRequest) -> HttpResponse:
    """The search box and what is trending: hashtags with a few videos each, sounds, creators."""
    viewer = viewer_of(request)
    trending = discovery.discover(viewer)
    shelves = []
    for tag in trending["hashtags"][:4]:
        videos = video_selectors.with_relations(discovery.hashtag_videos(viewer, tag.name))
        shelves.append((tag, cards(videos.order_by("-like_count", "-published_at")[:6], viewer)))
    return render(
        request,
        "web/discover.html",
        {"trending": trending, "shelves": shelves, "nav": "discover"},
    )


def tag_page(request: HttpRequest, name: str) -> HttpResponse:
    """A hashtag: its header (videos and views the viewer may see) and its videos."""
    viewer = viewer_of(request)
    try:
        header = discovery.hashtag_header(viewer, name)
        videos = video_selectors.with_relations(discovery.hashtag_videos(viewer, name))
        videos = videos.order_by("-published_at")[:GRID_SIZE]
    except NotFound:
        header, videos = {"name": name.lstrip("#").lower(), "videos": 0, "views": 0}, []
    return render(
        request,
        "web/tag.html",
        {"name": header["name"], "header": header, "cards": cards(videos, viewer)},
    )
