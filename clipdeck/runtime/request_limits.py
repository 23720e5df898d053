"""A cap on request bodies, applied before a single byte of the body is read.

Django's ASGI handler spools the whole body to disk before any view (or
authentication) runs, so a logged-out client could make the server write
gigabytes before it is told 401. This ASGI middleware runs first: a body
larger than ``CLIPDECK_ANONYMOUS_MAX_REQUEST_BYTES`` is read only for a caller
whose bearer token or session is valid, and never beyond
``CLIPDECK_MAX_REQUEST_BYTES``. A declared length over the cap is answered at
once (401 for nobody, 413 for too large); a chunked body that grows past it is
cut off.
"""

from __future__ import annotations

import json

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.utils.module_loading import import_string

from clipdeck.kernel.plugins import token_resolver

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RequestBodyLimit:
    """ASGI middleware: refuse oversized bodies before reading them."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            return await self.app(scope, receive, send)
        declared = _declared_length(scope)
        anonymous_cap = settings.CLIPDECK_ANONYMOUS_MAX_REQUEST_BYTES
        if declared is not None and declared <= anonymous_cap:
            return await self.app(scope, receive, send)
        signed_in = await sync_to_async(has_valid_credentials)(scope)
        cap = settings.CLIPDECK_MAX_REQUEST_BYTES if signed_in else anonymous_cap
        if declared is not None and declared > cap:
            return await _refuse(send, signed_in=signed_in, cap=cap)
        return await self.app(scope, _capped(receive, cap), send)


def has_valid_credentials(scope) -> bool:
    """True when the request carries a bearer token or session of an active user."""
    headers = _headers(scope)
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return token_resolver()(authorization[7:].strip()) is not None
    session_key = _cookie(headers.get("cookie", ""), settings.SESSION_COOKIE_NAME)
    if not session_key:
        return False
    store: SessionBase = import_string(settings.SESSION_ENGINE + ".SessionStore")(session_key)
    return store.get(SESSION_KEY) is not None


def _headers(scope) -> dict[str, str]:
    return {
        name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
    }


def _declared_length(scope) -> int | None:
    raw = _headers(scope).get("content-length")
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value or None
    return None


def _capped(receive, cap: int):
    """``receive`` that ends the request (a disconnect) once the body passes ``cap``."""
    seen = 0

    async def receive_capped():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > cap:
                return {"type": "http.disconnect"}
        return message

    return receive_capped


async def _refuse(send, *, signed_in: bool, cap: int) -> None:
    if signed_in:
        status, code = 413, "request_too_large"
        message = f"This request is larger than {cap // 1_000_000} MB; send a smaller file."
    else:
        status, code = 401, "not_authenticated"
        message = "Sign in to send this."
    body = json.dumps({"error": {"code": code, "message": message, "field": None}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
