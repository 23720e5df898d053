"""The back office (Django admin) behind the app's own sign-in.

The stock admin has its own login form, which skips the sign-in limits and the
second factor. Here the admin's login sends people to ``/login`` (throttled,
two-factor), and the admin opens only for active staff whose session passed a
second factor. A staff member without two-factor sign-in sees a page asking
them to turn it on. Staff sessions expire after
``CLIPDECK_STAFF_SESSION_SECONDS`` of inactivity instead of the two weeks of
an ordinary session.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

SECOND_FACTOR = "second_factor_verified"


def mark_second_factor(request: HttpRequest, *, verified: bool) -> None:
    """Remember on the session whether this sign-in passed a second factor."""
    request.session[SECOND_FACTOR] = bool(verified)


def _is_staff(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff)


class StaffAdminSite(AdminSite):
    site_header = "Clipdeck back office"
    site_title = "Clipdeck back office"

    def has_permission(self, request: HttpRequest) -> bool:
        if not _is_staff(request) or not request.session.get(SECOND_FACTOR):
            return False
        request.session.set_expiry(settings.CLIPDECK_STAFF_SESSION_SECONDS)
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
