"""Hooks the kernel calls but does not own: the apps above it fill them in.

The kernel imports no app. Where it needs an app's behaviour (turning a bearer
token into a user, reading a protected field through the gateway), the app
registers a callable here from its ``personal_data`` module or names it in a
setting, and the kernel looks it up when called.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:  # importing a model class needs the app registry; this module does not
    from django.contrib.auth.base_user import AbstractBaseUser


@cache
def token_resolver() -> Callable:
    """``token -> user | None``, named by ``settings.CLIPDECK_TOKEN_RESOLVER``."""
    return import_string(settings.CLIPDECK_TOKEN_RESOLVER)


UserT = TypeVar("UserT", bound="AbstractBaseUser")

# Checks take the app's own user model, which the kernel does not know: ``Any`` here,
# checked against ``AbstractBaseUser`` where they are registered.
_second_factor: list[Callable[[Any, str | None], None]] = []


def register_second_factor(check: Callable[[UserT, str | None], None]) -> None:
    """Set the re-authentication check: ``(user, code)``, raising when the code is wrong."""
    _second_factor[:] = [check]


def require_second_factor(user: AbstractBaseUser, code: str | None) -> None:
    """Raise unless ``user`` has no second factor or ``code`` verifies it."""
    for check in _second_factor:
        check(user, code)
