"""Rules for handles, emails and passwords, with messages a person understands."""

from __future__ import annotations

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email as django_validate_email

from clipdeck.kernel.errors import InvalidInput

HANDLE_RE = re.compile(r"^[a-z0-9_](?:[a-z0-9_.]*[a-z0-9_])?$")
HANDLE_MIN, HANDLE_MAX = 2, 24
RESERVED_HANDLES = frozenset(
    {
        "about",
        "admin",
        "api",
        "clipdeck",
        "explore",
        "following",
        "foryou",
        "help",
        "login",
        "logout",
        "me",
        "media",
        "privacy",
        "settings",
        "shop",
        "signup",
        "sound",
        "sounds",
        "static",
        "studio",
        "support",
        "tag",
        "terms",
        "upload",
        "video",
        "videos",
    }
)


def clean_handle(raw: str) -> str:
    """The handle as stored (case kept), or InvalidInput naming what is wrong."""
    handle = (raw or "").strip().lstrip("@")
    lowered = handle.lower()
    if not HANDLE_MIN <= len(handle) <= HANDLE_MAX:
        raise InvalidInput(
            f"A handle is {HANDLE_MIN} to {HANDLE_MAX} characters long.",
            code="invalid_handle",
            field="handle",
        )
    # ASCII only, checked before lowering: "\u212a" (Kelvin sign) lowers to "k",
    # so a look-alike of another handle would otherwise pass.
    if not handle.isascii() or not HANDLE_RE.match(lowered) or ".." in lowered:
        raise InvalidInput(
            "A handle may use letters, digits, underscores and single dots, "
            "and cannot start or end with a dot.",
            code="invalid_handle",
            field="handle",
        )
    if lowered in RESERVED_HANDLES:
        raise InvalidInput(
            f"The handle @{handle} is reserved; please choose another.",
            code="handle_reserved",
            field="handle",
        )
    return handle


def clean_email(raw: str) -> str:
    email = (raw or "").strip()
    try:
        django_validate_email(email)
    except ValidationError as exc:
        raise InvalidInput(
            "That does not look like an email address.", code="invalid_email", field="email"
        ) from exc
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def check_password(password: str, user=None) -> None:
    try:
        password_validation.validate_password(password or "", user=user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), code="weak_password", field="password") from exc
