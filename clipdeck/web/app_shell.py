"""The installable app: its manifest and its service worker.

The service worker caches only the app shell (styles, scripts, icons, the
offline page) by exact URL. It never caches a page, an API response or a
media file: those can hold personal data (a private video, someone's inbox)
that must not outlive a sign-out on a shared phone.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

SHELL_FILES = (
    "web/app.css",
    "web/layout.css",
    "web/icon.svg",
    "web/icon-192.png",
    "web/icon-512.png",
    "web/js/api.js",
    "web/js/app.js",
    "web/js/events.js",
    "web/js/feed.js",
    "web/js/sheets.js",
    "web/js/signin.js",
    "web/js/video_page.js",
    "shop/shop.css",
    "shop/shop.js",
)
CACHE_VERSION = "clipdeck-shell-1"


def manifest_data() -> dict:
    """The web app manifest: name, icons, colours, a standalone window opening on For You."""
    return {
        "name": "Clipdeck",
        "short_name": "Clipdeck",
        "description": "Short videos from creators you choose, on a server you can trust.",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#0b0b0f",
        "theme_color": "#0b0b0f",
        "icons": [
            {"src": static("web/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("web/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("web/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("web/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
        "shortcuts": [
            {"name": "Following", "url": "/following"},
            {"name": "Create a video", "url": "/studio"},
        ],
    }


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    return HttpResponse(json.dumps(manifest_data()), content_type="application/manifest+json")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker script, served from the root so that its scope is the whole site."""
    context = {
        "cache": mark_safe(json.dumps(CACHE_VERSION)),  # noqa: S308 - JSON of constants
        "shell": mark_safe(json.dumps([static(path) for path in SHELL_FILES])),  # noqa: S308
    }
    response = render(request, "web/sw.js", context, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response
