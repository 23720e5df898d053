"""Who may moderate: a role, never a superuser by default.

A moderator is an active staff account in the ``moderator`` group (the
gateway's role of that name) with two-factor sign-in turned on; in a browser,
the session itself must have passed the second factor (the sign-in page marks
it, as for the back office). Anyone else who calls a moderation endpoint gets
the same 404 as for a page that does not exist: the tools do not reveal that
they are there.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.http import HttpRequest

from clipdeck.accounts import two_factor
from clipdeck.accounts.models import User
from clipdeck.kernel.auth import as_viewer, bearer_token_of
from clipdeck.kernel.errors import NotFound

MODERATOR = "moderator"
# The session key the sign-in page sets once a second factor passed
# (``clipdeck.web.staff_admin.SECOND_FACTOR``; web sits above this app).
SECOND_FACTOR_SESSION_KEY = "second_factor_verified"
NO_PAGE = "This page does not exist."


def is_moderator(user: User | None) -> bool:
    """Whether ``user`` holds the moderator role with two-factor sign-in on."""
    user = as_viewer(user)
    if user is None or not (user.is_active and user.is_staff):
        return False
    if not user.groups.filter(name=MODERATOR).exists():
        return False
    return two_factor.is_enabled(user)


def moderator_of(request: HttpRequest, user: User | None = None) -> User:
    """The moderator making ``request``; NotFound for anyone else.

    A bearer token of a two-factor account was only issued after the second
    factor; a browser session must carry the mark of one.
    """
    user = as_viewer(user if user is not None else getattr(request, "auth", None))
    if user is None or not is_moderator(user):
        raise NotFound(NO_PAGE)
    if bearer_token_of(request) is None and not request.session.get(SECOND_FACTOR_SESSION_KEY):
        raise NotFound(NO_PAGE)
    return user


def moderator_group() -> Group:
    """The ``moderator`` group (made on first use)."""
    group, _ = Group.objects.get_or_create(name=MODERATOR)
    return group
