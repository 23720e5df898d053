"""Back office for the kernel's rows: the audit chain (read-only) and the gateway's reveal.

``ProtectedFieldsAdmin`` is the base of every admin page of an app's model:
protected fields and non-public content are never shown, only revealed one at
a time through the access gateway, with a justification and an audit entry.
A test walks every admin URL and holds each page to this.
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
from clipdeck.kernel.personal_data import DataClass, records

PROTECTED = DataClass.PROTECTED


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


def _field_of(entry) -> str | None:
    """The model field an admin option names (``"-a__b"``, ``"^a"`` → ``"a"``), if a string."""
    if not isinstance(entry, str):
        return None
    return entry.lstrip("-^=@").split("__", 1)[0]


class ProtectedFieldsAdmin(admin.ModelAdmin):
    """A ModelAdmin that never shows protected data; the access gateway reveals it.

    The masked fields are those the data inventory classifies ``protected`` for
    the model, plus ``protected_fields`` (non-public content the inventory calls
    public when published: a private video's caption, a comment on one) and
    ``hidden_fields`` (secrets never shown at all). Masked fields are left out
    of the list columns, search, filters, ordering and forms, whatever the
    subclass declares; on the change page, each masked field that has a
    gateway reader is a "Reveal through the access gateway" link, which asks
    for a justification and writes an audit entry before showing the value.
    Adding rows is off (a form without the masked fields could not fill them).
    """

    protected_fields: tuple[str, ...] = ()
    hidden_fields: tuple[str, ...] = ()

    def masked_fields(self) -> set[str]:
        """Every field of the model this admin must not show."""
        label = self.model._meta.label
        declared = {r.field for r in records() if r.model == label and r.data_class == PROTECTED}
        return declared | set(self.protected_fields) | set(self.hidden_fields)

    def revealable_fields(self) -> list[str]:
        """The masked fields the gateway can read, in the model's field order."""
        label = self.model._meta.label
        masked = self.masked_fields()
        names = [field.name for field in self.model._meta.get_fields()]
        return [
            name
            for name in names
            if name in masked and name not in self.hidden_fields and gateway.has_reader(label, name)
        ]

    def _shown(self, entries) -> list:
        masked = self.masked_fields()
        return [entry for entry in entries or () if _field_of(entry) not in masked]

    def get_list_display(self, request: HttpRequest):
        return self._shown(super().get_list_display(request)) or ["__str__"]

    def get_list_display_links(self, request: HttpRequest, list_display):
        links = super().get_list_display_links(request, list_display)
        return self._shown(links) if links else links

    def get_list_filter(self, request: HttpRequest):
        return self._shown(super().get_list_filter(request))

    def get_search_fields(self, request: HttpRequest):
        return self._shown(super().get_search_fields(request))

    def get_ordering(self, request: HttpRequest):
        return self._shown(super().get_ordering(request))

    def get_sortable_by(self, request: HttpRequest):
        return self._shown(super().get_sortable_by(request))

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        """No filtering through the URL on a masked field: it would answer questions about it."""
        if _field_of(lookup) in self.masked_fields():
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_exclude(self, request: HttpRequest, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *sorted(self.masked_fields())]

    def get_fields(self, request: HttpRequest, obj=None):
        return self._shown(super().get_fields(request, obj))

    def get_fieldsets(self, request: HttpRequest, obj=None):
        return [
            (name, {**options, "fields": self._shown(options.get("fields", ()))})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        shown = self._shown(super().get_readonly_fields(request, obj))
        return (*shown, "protected_data")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Protected data")
    def protected_data(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "—"
        links = [
            format_html(
                '<a href="{}">Reveal {} through the access gateway</a>',
                reverse(f"admin:{self._url_name}", args=[obj.pk, field]),
                field,
            )
            for field in self.revealable_fields()
        ]
        if not links:
            return "—"
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
        if subject is None or field not in self.revealable_fields():
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
