"""Back office for the kernel's rows: the audit chain (read-only) and the gateway's reveal.

``ProtectedFieldsAdmin`` is the base for any admin page of a model with
protected fields: they are never shown, only revealed one at a time through
the access gateway, with a justification and an audit entry.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from clipdeck.kernel import gateway
from clipdeck.kernel.errors import DomainError, Kind
from clipdeck.kernel.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the chain is append-only, even for superusers."""

    list_display = ("seq", "at", "actor_id", "actor_role", "action", "subject", "justification")
    list_filter = ("action", "actor_role")
    search_fields = ("subject",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ProtectedFieldsAdmin(admin.ModelAdmin):
    """A ModelAdmin that shows protected fields only through the access gateway.

    ``protected_fields`` are listed on the change page as "reveal" links; revealing
    one asks for a justification and writes an audit entry before showing it.
    """

    protected_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "protected_data")

    @admin.display(description="Protected data")
    def protected_data(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "—"
        links = [
            format_html(
                '<a href="{}">Reveal {} (audited)</a>',
                reverse(f"admin:{self._url_name}", args=[obj.pk, field]),
                field,
            )
            for field in self.protected_fields
        ]
        return format_html(" · ".join(["{}"] * len(links)), *links)

    @property
    def _url_name(self) -> str:
        meta = self.model._meta
        return f"{meta.app_label}_{meta.model_name}_reveal"

    def get_urls(self):
        view = self.admin_site.admin_view(self.reveal_view)
        reveal = path("<path:object_id>/reveal/<str:field>/", view, name=self._url_name)
        return [reveal, *super().get_urls()]

    def reveal_view(self, request: HttpRequest, object_id: str, field: str) -> HttpResponse:
        subject = self.get_object(request, object_id)
        if subject is None or field not in self.protected_fields:
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "subject": subject,
            "field": field,
            "title": f"Reveal {field} of {subject}",
        }
        if request.method == "POST":
            try:
                context["value"] = gateway.read_protected(
                    actor=request.user,
                    subject=subject,
                    field=field,
                    purpose=request.POST.get("justification", ""),
                )
            except DomainError as exc:
                if exc.kind is Kind.FORBIDDEN:
                    raise PermissionDenied(exc.message) from exc
                context["error"] = exc.message
        return TemplateResponse(request, "kernel/admin/reveal.html", context)
