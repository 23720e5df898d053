"""Who is calling: a bearer token, the browser session (with CSRF), or nobody.

``viewer_auth`` lets anonymous callers through as ``AnonymousUser`` (public
reads); ``user_auth`` requires a signed-in user. A malformed or unknown bearer
token is an error rather than silently anonymous.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from clipdeck.kernel.plugins import token_resolver

# The user model belongs to an app above the kernel: helpers hand back the type they got.
UserT = TypeVar("UserT", bound=AbstractBaseUser)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = token_resolver()(token)
        if user is None:
            raise AuthenticationError()
        request.user = user
        return user


class BrowserSession(SessionAuth):
    """Django's session with Ninja's CSRF check on unsafe methods.

    The CSRF check only applies to a signed-in session: a client without a
    session cookie has nothing to forge, so it falls through to the next
    authenticator (a bearer token or anonymous) instead of failing CSRF.
    """

    def __call__(self, request: HttpRequest):
        if not getattr(getattr(request, "user", None), "is_authenticated", False):
            return None
        return super().__call__(request)


def anonymous(request: HttpRequest):
    if "HTTP_AUTHORIZATION" in request.META:
        raise AuthenticationError()
    return AnonymousUser()


bearer = BearerToken()
session = BrowserSession()
user_auth = [bearer, session]
viewer_auth = [bearer, session, anonymous]


def viewer_of(request: HttpRequest):
    """The signed-in user, or None for anonymous callers."""
    user = getattr(request, "auth", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def bearer_token_of(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def as_viewer(user: UserT | AnonymousUser | None) -> UserT | None:
    """The viewer the visibility policies take: a signed-in user, or None for anybody else.

    ``None``, ``AnonymousUser`` and any object that is not authenticated all
    become ``None``, so that policies test one thing. The user comes back with
    the type it came in as (``User`` for the apps).
    """
    if user is None or isinstance(user, AnonymousUser):
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    return user
