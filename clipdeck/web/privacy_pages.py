"""Privacy pages: data controls (exports, accesses, erasure), transparency, export downloads."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from clipdeck.accounts import two_factor
from clipdeck.kernel.errors import InvalidInput
from clipdeck.moderation.transparency import moderation_report
from clipdeck.privacy import export
from clipdeck.privacy.residency import locations
from clipdeck.privacy.transparency import accesses_to, transparency_report


@login_required
@require_safe
def data_controls(request: HttpRequest) -> HttpResponse:
    """Request and download exports, see staff accesses, erase the account."""
    items = [(item, export.download_url(item)) for item in export.exports_of(request.user)[:20]]
    return render(
        request,
        "privacy/data_controls.html",
        {
            "nav": "profile",
            "exports": items,
            "accesses": accesses_to(request.user),
            "region": settings.CLIPDECK_REGION,
            "locations": [p for p in locations() if p.configured],
            "retention_days": settings.CLIPDECK_EXPORT_RETENTION_DAYS,
            "two_factor": two_factor.is_enabled(request.user),
        },
    )


@require_safe
def transparency_page(request: HttpRequest) -> HttpResponse:
    """The transparency report for everyone: the last 30 days of personal-data figures,
    and trust and safety per half-year (``?period=2026-H1``)."""
    try:
        moderation = moderation_report(request.GET.get("period") or None)
    except InvalidInput:
        moderation = moderation_report()
    return render(
        request,
        "privacy/transparency.html",
        {"report": transparency_report(), "moderation": moderation},
    )


@require_safe
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    """The ZIP a signed, unexpired link names; 404 for anything else."""
    item = export.export_for_download(token)
    if request.user.is_authenticated and request.user.pk != item.user_id:
        raise Http404
    name = f"clipdeck-export-{item.created_at:%Y-%m-%d}.zip"
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
