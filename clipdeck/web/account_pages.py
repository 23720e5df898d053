"""Sign-up, log-in and the signed-in user's own pages (settings, requests, drafts)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from clipdeck.accounts import recovery, two_factor
from clipdeck.accounts import selectors as account_selectors
from clipdeck.accounts.models import User
from clipdeck.accounts.services import (
    user_authenticate,
    user_authenticate_second_step,
    user_create,
    user_find_by_login,
)
from clipdeck.api.errors import status_for
from clipdeck.kernel import ratelimit
from clipdeck.kernel.errors import DomainError, InvalidInput
from clipdeck.kernel.personal_data import records
from clipdeck.videos import selectors
from clipdeck.videos.comment_controls import held_comments
from clipdeck.videos.filters import viewer_filters
from clipdeck.web.pages import cards
from clipdeck.web.privacy_summary import purpose_groups
from clipdeck.web.recovery_pages import site_origin
from clipdeck.web.staff_admin import mark_second_factor


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else "/"


@require_http_methods(["GET", "POST"])
def signup_page(request: HttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            ratelimit.throttle("signup", user_id=None, ip=request.META.get("REMOTE_ADDR"))
            user = user_create(
                handle=request.POST.get("handle", ""),
                email=request.POST.get("email", ""),
                password=request.POST.get("password", ""),
                display_name=request.POST.get("display_name", ""),
            )
        except DomainError as exc:
            error = exc
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if settings.CLIPDECK_EMAIL_VERIFICATION:
                recovery.verification_request(user, site_origin(request))
            return redirect(_next_url(request))
    return render(
        request,
        "web/signup.html",
        {"error": error, "form": request.POST, "next": _next_url(request)},
        status=status_for(error) if error else 200,
    )


@require_http_methods(["GET", "POST"])
def login_page(request: HttpRequest) -> HttpResponse:
    """Password first; with two-factor on, a second step asks for the code."""
    error = None
    second_step = False
    if request.method == "POST":
        try:
            user = _login_second_step(request) if "otp" in request.POST else _login_first(request)
        except DomainError as exc:
            error = exc
            second_step = exc.code in {"otp_required", "invalid_otp", "otp_reused"}
            if exc.code == "otp_required" and "otp" not in request.POST:
                error = None  # the password was right: now ask for the code
        else:
            request.session.pop(PENDING_2FA, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            mark_second_factor(request, verified=two_factor.is_enabled(user))
            if _wants_json(request):
                return JsonResponse({"handle": user.handle, "csrf": get_token(request)})
            return redirect(_next_url(request))
        if _wants_json(request):
            return _login_json(error, second_step)
    return render(
        request,
        "web/login.html",
        {
            "error": error,
            "form": request.POST,
            "next": _next_url(request),
            "second_step": second_step,
        },
        status=status_for(error) if error else 200,
    )


def _wants_json(request: HttpRequest) -> bool:
    """The in-place sign-in sheet posts the same form and reads JSON back."""
    return request.headers.get("Accept", "").startswith("application/json")


def _login_json(error: DomainError | None, second_step: bool) -> JsonResponse:
    if error is None:
        return JsonResponse({"second_step": True})
    body = {"error": {"code": error.code, "message": error.message}, "second_step": second_step}
    return JsonResponse(body, status=status_for(error))


PENDING_2FA = "login_2fa_pending"
PENDING_2FA_SECONDS = 300


def _login_first(request: HttpRequest):
    """Check the password; remember the account for the second step if it needs a code."""
    name = request.POST.get("login", "")
    try:
        return user_authenticate(
            login=name,
            password=request.POST.get("password", ""),
            ip=request.META.get("REMOTE_ADDR"),
        )
    except DomainError as exc:
        if exc.code == "otp_required":
            user = user_find_by_login(name)
            request.session[PENDING_2FA] = {"user": user.pk, "at": int(time.time())}
        raise


def _login_second_step(request: HttpRequest):
    """Check the code for the account whose password was right a moment ago."""
    pending = request.session.get(PENDING_2FA) or {}
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or time.time() - pending.get("at", 0) > PENDING_2FA_SECONDS:
        request.session.pop(PENDING_2FA, None)
        raise InvalidInput("Sign in again with your password.", code="login_expired")
    return user_authenticate_second_step(
        user=user, otp=request.POST.get("otp", ""), ip=request.META.get("REMOTE_ADDR")
    )


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("/")


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/settings.html",
        {
            "nav": "profile",
            "two_factor": two_factor.is_enabled(request.user),
            "recovery_codes_left": two_factor.recovery_codes_left(request.user),
            "filters": viewer_filters(request.user),
            "held_comments": held_comments(request.user)[:50],
            "email_sent": request.GET.get("email") == "sent",
        },
    )


def privacy_page(request: HttpRequest) -> HttpResponse:
    """What Clipdeck stores, straight from the data inventory."""
    return render(
        request,
        "web/privacy.html",
        {
            "region": settings.CLIPDECK_REGION,
            "groups": purpose_groups(),
            "total": len(records()),
        },
    )


@login_required
def requests_page(request: HttpRequest) -> HttpResponse:
    pending = account_selectors.pending_follow_requests(request.user).order_by("-created_at")
    return render(request, "web/requests.html", {"pending": pending[:100], "nav": "inbox"})


@login_required
def drafts_page(request: HttpRequest) -> HttpResponse:
    drafts = selectors.with_relations(selectors.drafts_of(request.user)).order_by("-created_at")
    return render(
        request, "web/drafts.html", {"cards": cards(drafts[:100], request.user), "nav": "profile"}
    )
