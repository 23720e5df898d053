"""Security headers on every response: Content-Security-Policy, Permissions-Policy and,
for anything answered to a signed-in caller, ``Cache-Control: private, no-store``.

The pages load only same-origin scripts and styles as ES modules; some
elements carry inline ``style`` attributes, so ``style-src`` allows
'unsafe-inline' while ``script-src`` never does. Images come from this origin
only (``img-src 'self'``): product pictures are copied into the cell at
import, so no page can make a visitor's browser call a third party. The one
exception is the cell's own media bucket when it serves signed URLs by
redirect (``CLIPDECK_MEDIA_ORIGINS``). ``media-src`` also allows ``blob:``, for
the studio's preview of a take recorded in the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


@lru_cache(maxsize=8)
def content_security_policy(media_origins: tuple[str, ...] = ()) -> str:
    """The policy, allowing ``media_origins`` (the media bucket's own, if any) for media."""
    extra = "".join(f" {origin}" for origin in media_origins)
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self'{extra}",
            f"media-src 'self' blob:{extra}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()
_ALWAYS_OFF = "clipboard-read=(), geolocation=(), payment=(), usb=()"
PERMISSIONS_POLICY = f"camera=(), microphone=(), {_ALWAYS_OFF}"
# Only the studio records from the camera and microphone.
STUDIO_PERMISSIONS_POLICY = f"camera=(self), microphone=(self), {_ALWAYS_OFF}"
STUDIO_PREFIX = "/studio"


class SecurityHeadersMiddleware:
    """Adds the headers Django's SecurityMiddleware does not set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        origins = tuple(getattr(settings, "CLIPDECK_MEDIA_ORIGINS", ()))
        response.headers.setdefault("Content-Security-Policy", content_security_policy(origins))
        studio = request.path.startswith(STUDIO_PREFIX)
        response.headers.setdefault(
            "Permissions-Policy", STUDIO_PERMISSIONS_POLICY if studio else PERMISSIONS_POLICY
        )
        if _personal(request):
            # Pages and API answers for a signed-in person are theirs alone: no
            # shared or disk cache keeps them (a view may still choose its own).
            response.headers.setdefault("Cache-Control", "private, no-store")
            patch_vary_headers(response, ("Cookie", "Authorization"))
        return response


def _personal(request: HttpRequest) -> bool:
    if "Authorization" in request.headers:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
