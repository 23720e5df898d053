"""Deployment configuration from URLs: database, cache, media store and log format."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from clipdeck.runtime.caches import redis_cache
from clipdeck.runtime.databases import url_database
from clipdeck.runtime.logs import JsonFormatter, logging_config
from clipdeck.runtime.media_storage import parse_media_url, storage_config
from tests.xdist_redis import redis_url_for_worker

pytestmark = pytest.mark.django_db  # the suite's autouse fixture clears the database cache

ROOT = Path("/srv/media")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
POOL = {"pool": True, "pool_min": 2, "pool_max": 8, "pool_timeout": 5, "conn_max_age": 60}


def test_postgres_gets_a_pool_and_no_persistent_connections():
    config = url_database("postgres://app@db.internal:5432/clipdeck", **POOL)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 8, "timeout": 5}
    assert config["CONN_MAX_AGE"] == 0  # Django refuses persistent connections with a pool


def test_pool_off_keeps_persistent_connections():
    config = url_database("postgres://app@db/clipdeck", **{**POOL, "pool": False})
    assert "pool" not in config["OPTIONS"]
    assert config["CONN_MAX_AGE"] == 60


def test_a_pool_smaller_at_least_than_at_most_is_refused():
    with pytest.raises(ImproperlyConfigured, match="CLIPDECK_DB_POOL_MIN"):
        url_database("postgres://app@db/clipdeck", **{**POOL, "pool_min": 9})


def test_an_unknown_database_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        url_database("mongodb://db/clipdeck", **POOL)


def test_redis_url_gives_django_redis_cache_with_timeouts():
    config = redis_cache("redis://127.0.0.1:6379/3")
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert config["OPTIONS"]["socket_connect_timeout"] > 0


def test_each_xdist_worker_gets_its_own_redis_database():
    assert redis_url_for_worker("redis://127.0.0.1:6379/2", "gw1") == "redis://127.0.0.1:6379/3"
    assert redis_url_for_worker("redis://127.0.0.1:6379", "gw0") == "redis://127.0.0.1:6379/0"
    assert redis_url_for_worker("redis://127.0.0.1:6379/2", "") == "redis://127.0.0.1:6379/2"
    assert redis_url_for_worker("unix:///run/redis.sock", "gw1") == "unix:///run/redis.sock"


def test_a_non_redis_cache_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        redis_cache("http://127.0.0.1:6379")


def test_no_media_url_means_the_local_folder():
    location = parse_media_url("", default_root=ROOT)
    assert (location.kind, location.root, location.region) == ("local", ROOT, None)
    assert storage_config(location)["BACKEND"] == "clipdeck.kernel.storage.AtomicFileSystemStorage"


def test_file_media_url_names_the_folder():
    location = parse_media_url("file:///var/lib/clipdeck/media", default_root=ROOT)
    assert location.root == Path("/var/lib/clipdeck/media")


def test_s3_media_url_with_every_option():
    location = parse_media_url(
        "s3://clips/cell-us?region=us-east-1&endpoint=http://127.0.0.1:9000"
        "&serve=redirect&signed_ttl=120",
        default_root=ROOT,
    )
    assert (location.bucket, location.prefix, location.region) == ("clips", "cell-us", "us-east-1")
    assert (location.endpoint, location.addressing) == ("http://127.0.0.1:9000", "path")
    assert (location.serve, location.signed_ttl) == ("redirect", 120)
    options = storage_config(location)["OPTIONS"]
    assert options["file_overwrite"] is False
    assert options["querystring_expire"] == 120


def test_s3_without_an_endpoint_uses_virtual_hosted_addressing():
    location = parse_media_url("s3://clips?region=eu-central-1", default_root=ROOT)
    assert (location.endpoint, location.addressing, location.serve) == (None, "virtual", "proxy")


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("s3://clips", "region is required"),
        ("s3://?region=us-east-1", "bucket name is missing"),
        ("s3://key:secret@clips?region=us-east-1", "credentials"),
        ("s3://clips?region=us-east-1&regoin=x", "unknown parameter"),
        ("s3://clips?region=us-east-1&serve=cdn", "serve must be proxy or redirect"),
        ("s3://clips?region=us-east-1&addressing=dns", "addressing must be"),
        ("s3://clips?region=us-east-1&endpoint=ftp://x", "endpoint must be"),
        ("s3://clips?region=us-east-1&signed_ttl=0", "signed_ttl"),
        ("gs://clips", "use file:///PATH or s3://"),
        ("file://relative/path", "absolute path"),
    ],
)
def test_bad_media_urls_name_the_problem(url, problem):
    with pytest.raises(ImproperlyConfigured, match=problem) as error:
        parse_media_url(url, default_root=ROOT)
    assert str(error.value).startswith("CLIPDECK_MEDIA_URL: ")


def test_the_command_refuses_to_start_with_a_bad_media_url(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "CLIPDECK_DATA_DIR": str(tmp_path),
        "CLIPDECK_MEDIA_URL": "s3://clips?serve=cdn",
    }
    done = subprocess.run(
        [sys.executable, "-m", "clipdeck.cli", "manage", "check"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "clipdeck: configuration error: CLIPDECK_MEDIA_URL: "
        "region is required (s3://BUCKET?region=eu-central-1); residency checks it."
    )
    assert "Traceback" not in done.stderr


def test_unknown_log_format_is_refused():
    with pytest.raises(ImproperlyConfigured, match="CLIPDECK_LOG_FORMAT"):
        logging_config("xml", "INFO")


def test_json_log_lines_carry_message_level_and_extras():
    record = logging.makeLogRecord(
        {
            "name": "clipdeck.studio",
            "levelname": "WARNING",
            "msg": "render %s failed",
            "args": ("v1",),
            "video_id": "v1",
        }
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "render v1 failed"
    assert (entry["level"], entry["logger"], entry["video_id"]) == (
        "WARNING",
        "clipdeck.studio",
        "v1",
    )
    assert {"time", "host", "pid"} <= set(entry)


def test_json_log_lines_include_the_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("t").makeRecord(
            "t", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exception"]
