"""The laptop sidebar's suggested accounts, computed only where the sidebar is drawn."""

from __future__ import annotations

from django import template

from clipdeck.web.suggestions import suggested_accounts
from clipdeck.web.viewer import viewer_of

register = template.Library()


@register.inclusion_tag("web/_suggested.html", takes_context=True)
def suggested(context) -> dict:
    """Render the "Suggested accounts" list for the page's viewer."""
    request = context.get("request")
    viewer = viewer_of(request) if request is not None else None
    return {"people": suggested_accounts(viewer)}
