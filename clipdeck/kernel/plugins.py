"""Hooks the kernel calls but does not own: the apps above it fill them in.

The kernel imports no app. Where it needs an app's behaviour (turning a bearer
token into a user, reading a protected field through the gateway), the app
registers a callable here from its ``personal_data`` module or names it in a
setting, and the kernel looks it up when called.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@cache
def token_resolver() -> Callable:
    """``token -> user | None``, named by ``settings.CLIPDECK_TOKEN_RESOLVER``."""
    return import_string(settings.CLIPDECK_TOKEN_RESOLVER)


_second_factor: list[Callable[[object, str | None], None]] = []


def register_second_factor(check: Callable[[object, str | None], None]) -> None:
    """Set the re-authentication check: ``(user, code)``, raising when the code is wrong."""
    _second_factor[:] = [check]


def require_second_factor(user: object, code: str | None) -> None:
    """Raise unless ``user`` has no second factor or ``code`` verifies it."""
    for check in _second_factor:
        check(user, code)
