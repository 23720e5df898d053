"""``/healthz`` (the process answers) and ``/readyz`` (it can do its work).

A load balancer takes a web process out of rotation while ``/readyz`` answers
503; the JSON body names each dependency that failed:
``{"status": "unavailable", "failed": ["cache"], "checks": {"cache": "…", …}}``.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

DETAIL_CHARS = 200


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key, value = "readyz:probe", secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    if cache.get(key) != value:
        raise RuntimeError("a value written to the cache did not read back")


def check_storage() -> None:
    """A local folder must be writable; a bucket must answer from the configured region."""
    from clipdeck.runtime.s3 import MediaS3Storage, verify_bucket

    storage = storages["default"]
    if isinstance(storage, MediaS3Storage):
        verify_bucket(storage)
        return
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    if not os.access(root, os.W_OK | os.X_OK):
        raise PermissionError(f"media folder {root} is not writable")


CHECKS = {"database": check_database, "cache": check_cache, "storage": check_storage}


def run_checks() -> dict[str, str]:
    """Each check's result: ``"ok"`` or a short description of what went wrong."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:
            logger.warning("readiness check %s failed: %s", name, exc)
            results[name] = f"{type(exc).__name__}: {exc}"[:DETAIL_CHARS]
    return results


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive (no dependency is touched)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database, cache and media storage all work; 503 naming those that do not."""
    results = run_checks()
    failed = [name for name, result in results.items() if result != "ok"]
    body = {"status": "unavailable" if failed else "ready", "failed": failed, "checks": results}
    return JsonResponse(body, status=503 if failed else 200)
