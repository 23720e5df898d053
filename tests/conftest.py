from __future__ import annotations

import copy
import os
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.core.management import call_command
from django.test import Client, override_settings
from django_tasks_db.management.commands import db_worker as db_worker_module

from clipdeck.accounts.services import token_issue
from tests.factories import UserFactory
from tests.worker_processes import SharedDatabase
from tests.xdist_redis import redis_url_for_worker


@pytest.fixture(autouse=True, scope="session")
def _own_redis_database_per_xdist_worker():
    """With ``REDIS_URL`` under pytest-xdist, this worker's cache (and the worker
    processes its tests start) use a Redis database of their own."""
    url = os.environ.get("REDIS_URL", "")
    own = redis_url_for_worker(url, os.environ.get("PYTEST_XDIST_WORKER", ""))
    if "redis" not in django_settings.CACHES["default"]["BACKEND"].lower() or own == url:
        yield
        return
    os.environ["REDIS_URL"] = own
    caches = copy.deepcopy(django_settings.CACHES)
    caches["default"]["LOCATION"] = own
    caches["feed"]["LOCATION"] = own
    with override_settings(CACHES=caches):
        yield
    os.environ["REDIS_URL"] = url


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Argon2 costs about half a second a hash here; only tests named for it use it."""
    if "argon2" not in request.node.name:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Each test writes media (and audit witness checkpoints) to its own folder
    and starts with an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLIPDECK_AUDIT_WITNESS_DIR = tmp_path / "audit-witness"
    settings.CLIPDECK_KEYSTORE_PATH = tmp_path / "keystore" / "keys.sqlite3"
    settings.CLIPDECK_KEYSTORE_BACKUP_DIR = tmp_path / "keystore-backups"
    settings.CLIPDECK_FEED_REFRESH = "inline"  # no background threads on the test database
    settings.CLIPDECK_GC_FREEZE = False  # freezing would keep every test's objects to the end
    cache.clear()
    caches["feed"].clear()
    yield
    cache.clear()
    caches["feed"].clear()


class ApiClient:
    """A JSON client for /api/v1 that can act as a user through a bearer token."""

    def __init__(self, user=None):
        self.client = Client()
        self.user = user
        self.headers = {}
        if user is not None:
            self.headers["Authorization"] = f"Bearer {token_issue(user=user)}"

    def _call(self, method: str, path: str, data=None, **kwargs):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        call = getattr(self.client, method)
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if method == "get":
            return call(url, data or {}, headers=headers, **kwargs)
        if kwargs.pop("multipart", False):
            return call(url, data, headers=headers, **kwargs)
        return call(
            url,
            data if data is not None else {},
            content_type="application/json",
            headers=headers,
            **kwargs,
        )

    def get(self, path, data=None, **kw):
        return self._call("get", path, data, **kw)

    def post(self, path, data=None, **kw):
        return self._call("post", path, data, **kw)

    def patch(self, path, data=None, **kw):
        return self._call("patch", path, data, **kw)

    def put(self, path, data=None, **kw):
        return self._call("put", path, data, **kw)

    def delete(self, path, data=None, **kw):
        return self._call("delete", path, data, **kw)


@pytest.fixture
def api():
    """``api()`` is anonymous; ``api(user)`` acts as ``user``."""
    return ApiClient


@pytest.fixture
def run_worker():
    """``run_worker()`` runs every queued task in this process, as a worker would."""

    def drain() -> None:
        # A real worker drops connections whose autocommit state looks wrong; inside
        # a test's transaction that would close the test's own connection (fatal on
        # PostgreSQL with a pool), so this in-process worker keeps it.
        with mock.patch.object(db_worker_module, "close_old_connections", lambda: None):
            call_command(
                "db_worker",
                batch=True,
                startup_delay=False,  # the option is --no-startup-delay; its dest is startup_delay
                queue_name="*",
                reload=False,
                verbosity=0,
            )

    return drain


@pytest.fixture
def shared_db(transactional_db, tmp_path):
    """A database that ``clipdeck worker`` subprocesses open too."""
    data = tmp_path / "data"
    data.mkdir()
    with SharedDatabase(data) as database:
        yield database


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def alice(db):
    """Alice: the author in remix and visibility tests."""
    return UserFactory(handle="alice")


@pytest.fixture
def bob(db):
    """Bob: the viewer or remixer in remix and visibility tests."""
    return UserFactory(handle="bob")


@pytest.fixture(autouse=True)
def _no_request_leaves_the_test_machine(settings):
    """Whatever a test imports, the egress client reaches this machine only."""
    settings.CLIPDECK_EGRESS_ALLOW_HOSTS = ["127.0.0.1", "localhost"]
