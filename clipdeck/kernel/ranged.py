"""Serving stored files with HTTP Range support (browsers seek; Safari requires it).

Three ways to hand over the bytes, after the caller has checked who may see them:

* stream them from the storage (the default; S3 storages read just the range asked for);
* ``X-Accel-Redirect`` for a local folder behind nginx (``CLIPDECK_MEDIA_ACCEL_PREFIX``):
  nginx sends the file and answers ranges itself;
* a redirect to a short-lived presigned URL (S3 with ``serve=redirect``).

A sealed file (``kernel.sealed_media``, encrypted with its owner's key) is
always streamed through :class:`~clipdeck.kernel.sealed_media.PlainView`, which
decrypts only the chunks a range needs; it never goes out by nginx or a redirect.
"""

from __future__ import annotations

import mimetypes
import re
from typing import Literal

from django.conf import settings
from django.core.files.storage import Storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase

from clipdeck.kernel.crypto import DecryptionError
from clipdeck.kernel.sealed_media import PlainView, is_sealed_name

# Media types a browser will only ever play or show, never run. Anything else
# (an original named ``evil.html``, an SVG with scripts) goes out as an
# attachment of type application/octet-stream.
SAFE_CONTENT_TYPES = frozenset(
    {
        "video/mp4",
        "video/webm",
        "video/quicktime",
        "video/x-matroska",
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/gif",
        "audio/mp4",
        "audio/mpeg",
        "audio/aac",
        "audio/ogg",
        "audio/wav",
        "audio/x-wav",
        "audio/webm",
    }
)
DOWNLOAD_TYPE = "application/octet-stream"
RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _parse_range(header: str, size: int) -> tuple[int, int] | Literal[False] | None:
    """(start, end) inclusive; None when absent/ignored; False when unsatisfiable."""
    match = RANGE_RE.match(header.strip()) if header else None
    if not match:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        return False
    return start, end


def _iter_slice(handle, start: int, length: int):
    with handle:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk


def serve_file(
    request: HttpRequest,
    storage: Storage,
    name: str,
    *,
    cache_control: str = "private, max-age=3600",
) -> HttpResponseBase:
    """The file ``name`` from ``storage``, whole or the requested byte range.

    Only media types in SAFE_CONTENT_TYPES are served inline; any other file is
    sent as an ``application/octet-stream`` attachment, so nothing uploaded can
    run as a page or script on this origin.
    """
    content_type = safe_content_type(name)
    if is_sealed_name(name):
        storage = PlainView(storage)
    direct = getattr(storage, "direct_url", None)
    url = direct(name) if direct is not None else None
    if url:
        # The presigned URL expires and was handed out for this viewer: never cache it.
        redirect = HttpResponseRedirect(url)
        redirect["Cache-Control"] = "private, no-store"
        return redirect
    try:
        response = _accel_redirect(storage, name, content_type) or _file_response(
            request, storage, name, content_type
        )
    except DecryptionError as exc:  # its owner's key was shredded, or the file was changed
        raise Http404("This file can no longer be read.") from exc
    if not response.has_header("X-Accel-Redirect"):
        response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = cache_control
    _mark_safe(response, content_type)
    return response


def _file_response(
    request: HttpRequest, storage: Storage, name: str, content_type: str
) -> HttpResponseBase:
    """The whole file or the requested range; 416 for a range outside the file."""
    size = storage.size(name)
    wanted = _parse_range(request.headers.get("Range", ""), size)
    ranged = getattr(storage, "read_range", None)
    response: HttpResponseBase
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is None:
        body = (
            (ranged(name, 0, size - 1) if size else iter(()))
            if ranged is not None
            else storage.open(name, "rb")
        )
        response = (
            StreamingHttpResponse(body, content_type=content_type)
            if ranged is not None
            else FileResponse(body, content_type=content_type)
        )
        response["Content-Length"] = str(size)
    else:
        start, end = wanted
        length = end - start + 1
        chunks = (
            ranged(name, start, end)
            if ranged is not None
            else _iter_slice(storage.open(name, "rb"), start, length)
        )
        response = StreamingHttpResponse(chunks, status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
    return response


def safe_content_type(name: str) -> str:
    """The media type for ``name`` if it is on the allow-list, else a download type."""
    guessed = mimetypes.guess_type(name)[0]
    return guessed if guessed in SAFE_CONTENT_TYPES else DOWNLOAD_TYPE


def _mark_safe(response: HttpResponseBase, content_type: str) -> None:
    response["X-Content-Type-Options"] = "nosniff"
    if content_type == DOWNLOAD_TYPE:
        response["Content-Disposition"] = "attachment"


def _accel_redirect(storage: Storage, name: str, content_type: str) -> HttpResponse | None:
    """An ``X-Accel-Redirect`` for nginx to send a local file (it answers ranges itself)."""
    prefix = settings.CLIPDECK_MEDIA_ACCEL_PREFIX
    if not prefix or not _is_local(storage):
        return None
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + name.lstrip("/")
    return response


def _is_local(storage: Storage) -> bool:
    try:
        storage.path("x")
    except NotImplementedError:
        return False
    return True
