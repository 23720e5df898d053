"""Back office: account erasure as an audited action on the accounts list."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse

from clipdeck.kernel import gateway
from clipdeck.kernel.errors import DomainError
from clipdeck.privacy.erasure import account_erase


@admin.action(description="Erase the selected accounts (crypto-shredding; cannot be undone)")
def erase_accounts(modeladmin, request: HttpRequest, queryset):
    """Ask for a justification, then erase each account and audit it."""
    justification = request.POST.get("justification", "")
    if "confirm" in request.POST:
        erased = 0
        try:
            for user in list(queryset):
                gateway.record_staff_action(
                    actor=request.user, action="erase", subject=user, purpose=justification
                )
                account_erase(user=user)
                erased += 1
        except DomainError as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        modeladmin.message_user(request, f"Erased {erased} account(s).")
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "accounts": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "title": "Erase accounts",
    }
    return TemplateResponse(request, "privacy/admin/erase_confirm.html", context)


def _offer_erasure_on_the_accounts_list() -> None:
    """Add the erasure action to the accounts admin (registered by its own app)."""
    accounts = admin.site.get_model_admin(get_user_model())
    accounts.actions = (*(accounts.actions or ()), erase_accounts)


_offer_erasure_on_the_accounts_list()
