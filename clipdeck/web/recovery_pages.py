"""Pages to get back into an account: ask for a reset link, set a new password,
confirm an email address. The work is in ``clipdeck.accounts.recovery``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from clipdeck.accounts import recovery
from clipdeck.api.errors import status_for
from clipdeck.kernel import ratelimit
from clipdeck.kernel.errors import DomainError


def site_origin(request: HttpRequest) -> str:
    """Where links in mail point: the operator's public URL, else the address in use."""
    if settings.PUBLIC_URL_SET:
        return settings.PUBLIC_URL
    return f"{request.scheme}://{request.get_host()}"


@require_http_methods(["GET", "POST"])
def reset_request_page(request: HttpRequest) -> HttpResponse:
    """Ask for a link; the answer is the same whether or not the address has an account."""
    if request.method == "GET":
        return render(request, "web/password_reset.html", {"step": "ask"})
    email = request.POST.get("email", "").strip()
    try:
        recovery.reset_request(
            email=email, ip=request.META.get("REMOTE_ADDR"), origin=site_origin(request)
        )
    except DomainError as error:
        context = {"step": "ask", "error": error, "email": email}
        return render(request, "web/password_reset.html", context, status=status_for(error))
    return render(request, "web/password_reset.html", {"step": "sent", "email": email})


@require_http_methods(["GET", "POST"])
def reset_confirm_page(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    """Choose a new password from a link; a used or expired link says how to get another."""
    try:
        user = recovery.reset_user(uid, token)
    except DomainError as error:
        context = {"step": "invalid", "error": error}
        return render(request, "web/password_reset.html", context, status=400)
    if request.method == "GET":
        return render(request, "web/password_reset.html", {"step": "choose", "handle": user.handle})
    try:
        if request.POST.get("password", "") != request.POST.get("password_again", ""):
            raise recovery.mismatch()
        recovery.reset_confirm(uid=uid, token=token, new_password=request.POST["password"])
    except DomainError as error:
        context = {"step": "choose", "handle": user.handle, "error": error}
        return render(request, "web/password_reset.html", context, status=status_for(error))
    return render(request, "web/password_reset.html", {"step": "done", "handle": user.handle})


def verify_email_page(request: HttpRequest, value: str) -> HttpResponse:
    """Confirm the address from the link in the welcome mail."""
    try:
        user = recovery.verification_confirm(value)
    except DomainError as error:
        return render(request, "web/email_verified.html", {"error": error}, status=400)
    return render(request, "web/email_verified.html", {"handle": user.handle})


@login_required
@require_POST
def verify_email_send(request: HttpRequest) -> HttpResponse:
    """Mail the confirmation link again (throttled like a reset request, per network)."""
    ratelimit.throttle(
        "password_reset", user_id=request.user.pk, ip=request.META.get("REMOTE_ADDR")
    )
    recovery.verification_request(request.user, site_origin(request))
    return redirect("/settings?email=sent#email-h")
