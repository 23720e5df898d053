"""The signed-in user of a page request, or None."""

from __future__ import annotations

from django.http import HttpRequest


def viewer_of(request: HttpRequest):
    user = request.user
    return user if user.is_authenticated else None
