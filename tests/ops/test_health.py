"""/healthz and /readyz: alive, and ready only when database, cache and storage work."""

from __future__ import annotations

import socket

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_down():
    """Settings with the cache on a Redis that is not there (restored on exit)."""
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
    )


def test_healthz_answers_without_touching_dependencies():
    with _redis_down():
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_when_everything_works():
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "status": "ready",
        "failed": [],
        "checks": {"database": "ok", "cache": "ok", "storage": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_readyz_names_the_cache_when_redis_is_down():
    with _redis_down():
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["cache"]
    assert "Connection" in body["checks"]["cache"]
    assert body["checks"]["database"] == "ok"


def test_readyz_names_storage_when_the_media_folder_cannot_be_used(settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker / "media"
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def test_readyz_names_the_database_when_queries_fail(monkeypatch):
    from clipdeck.runtime import health

    def broken():
        raise OperationalError("connection to server at 127.0.0.1 refused")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database"]
    assert body["checks"]["database"] == (
        "OperationalError: connection to server at 127.0.0.1 refused"
    )


def test_health_endpoints_only_answer_reads():
    assert Client().post("/readyz").status_code == 405
