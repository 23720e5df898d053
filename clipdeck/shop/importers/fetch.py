"""Fetching a catalog and product images through the cell's egress client.

Both go out through :mod:`clipdeck.kernel.egress`, which applies the
destination policy (public addresses only, the operator's host lists), the
size and time limits, and audits each request. Nothing personal leaves: a
catalog or image fetch is a plain GET (``Carries.NONE``). Redirects are not
followed for a catalog; an image may follow up to three, each re-checked.
"""

from __future__ import annotations

from django.conf import settings

from clipdeck.kernel import egress
from clipdeck.kernel.errors import InvalidInput

DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_TIMEOUT_SECONDS = 10
IMAGE_REDIRECTS = 3


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, code="bad_catalog_url", field="url")


def fetch_catalog(url: str) -> bytes:
    """The body at ``url``, within the size and time limits, or a clear error."""
    limit = getattr(settings, "CLIPDECK_SHOP_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    try:
        response = egress.fetch(
            url,
            purpose="catalog import",
            max_bytes=limit,
            timeout=getattr(
                settings, "CLIPDECK_SHOP_IMPORT_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS
            ),
        )
    except egress.EgressRefused as refused:
        raise _refuse(_catalog_words(refused)) from None
    except egress.EgressFailed as failed:
        raise _refuse(_failure_words(failed, limit)) from None
    if response.status != 200:
        raise _refuse(f"The server answered {response.status} instead of the catalog.")
    return response.body


def _catalog_words(refused: egress.EgressRefused) -> str:
    if refused.code == "private_address":
        return "Catalog URLs must point to a public web server."
    return refused.message


def _failure_words(failed: egress.EgressFailed, limit: int) -> str:
    if failed.code == "too_large":
        return f"The catalog is larger than {limit:,} bytes."
    if failed.code == "timeout":
        return "The catalog took too long to download."
    if failed.code == "dns":
        return failed.message
    return f"The catalog could not be downloaded ({failed.message})"


def fetch_image(url: str, *, max_bytes: int) -> bytes:
    """The bytes of the image at ``url``; EgressRefused or EgressFailed when not fetched."""
    response = egress.fetch(
        url,
        purpose="product image import",
        max_bytes=max_bytes,
        timeout=getattr(settings, "CLIPDECK_SHOP_IMPORT_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS),
        max_redirects=IMAGE_REDIRECTS,
    )
    if response.status != 200:
        raise egress.EgressFailed(f"The server answered {response.status}.", code="status")
    return response.body
