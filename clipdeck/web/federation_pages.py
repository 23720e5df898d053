"""The fediverse settings page: your address, following elsewhere, moving, graph files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clipdeck.federation import uris
from clipdeck.federation.models import AccountMove


@login_required
def fediverse_page(request: HttpRequest) -> HttpResponse:
    move = AccountMove.objects.filter(user=request.user).first()
    return render(
        request,
        "web/fediverse.html",
        {
            "nav": "profile",
            "address": f"@{request.user.handle}@{uris.host()}",
            "public": not request.user.is_private,
            "aliases": move.also_known_as if move else [],
            "moved_to": move.moved_to_profile or move.moved_to if move else "",
        },
    )
