"""The signed-in user of a page request, or None."""

from __future__ import annotations

from django.http import HttpRequest

from clipdeck.accounts.models import User
from clipdeck.kernel.auth import as_viewer


def viewer_of(request: HttpRequest) -> User | None:
    """The viewer of a page: the session's user, or None when nobody is signed in."""
    return as_viewer(getattr(request, "user", None))
