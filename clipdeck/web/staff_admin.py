"""The back office (Django admin) behind the app's own sign-in.

The stock admin has its own login form, which skips the sign-in limits and the
second factor. Here the admin's login sends people to ``/login`` (throttled,
two-factor), and the admin opens only for active staff whose session passed a
second factor. A staff member without two-factor sign-in sees a page asking
them to turn it on. Staff sessions expire after
``CLIPDECK_STAFF_SESSION_SECONDS`` of inactivity instead of the two weeks of
an ordinary session, and end ``CLIPDECK_STAFF_SESSION_MAX_SECONDS`` after
sign-in however active they are: the back office then signs the person out,
and they sign in again (password and second factor). The moment of sign-in is
recorded on the session; a session without it counts as expired.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

SECOND_FACTOR = "second_factor_verified"
SIGNED_IN_AT = "signed_in_at"


def mark_second_factor(request: HttpRequest, *, verified: bool) -> None:
    """Remember on the session whether this sign-in passed a second factor, and when
    it happened (the start of a staff session's absolute lifetime)."""
    request.session[SECOND_FACTOR] = bool(verified)
    request.session[SIGNED_IN_AT] = time.time()


def staff_seconds_left(request: HttpRequest) -> float:
    """How long this session may still open the back office (0 or less: no longer)."""
    signed_in_at = request.session.get(SIGNED_IN_AT)
    if not isinstance(signed_in_at, int | float):
        return 0.0
    return signed_in_at + settings.CLIPDECK_STAFF_SESSION_MAX_SECONDS - time.time()


def _is_staff(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff)


class StaffAdminSite(AdminSite):
    site_header = "Clipdeck back office"
    site_title = "Clipdeck back office"

    def has_permission(self, request: HttpRequest) -> bool:
        if not _is_staff(request) or not request.session.get(SECOND_FACTOR):
            return False
        left = staff_seconds_left(request)
        if left <= 0:
            logout(request)  # past the absolute limit: sign in again
            return False
        request.session.set_expiry(max(1, int(min(settings.CLIPDECK_STAFF_SESSION_SECONDS, left))))
        return True

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """Never a password form of its own: the app's sign-in, then back here."""
        if _is_staff(request) and not request.session.get(SECOND_FACTOR):
            return TemplateResponse(request, "web/staff_needs_2fa.html", status=403)
        target = request.GET.get("next") or "/admin/"
        if not target.startswith("/admin/"):
            target = "/admin/"
        return HttpResponseRedirect("/login?" + urlencode({"next": target}))


class StaffAdminConfig(AdminConfig):
    default_site = "clipdeck.web.staff_admin.StaffAdminSite"
