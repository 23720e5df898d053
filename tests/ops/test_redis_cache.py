"""With REDIS_URL, the shared state of web processes lives in Redis: rate-limit
counters, feed sessions and the feed's short-term interests."""

from __future__ import annotations

import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from clipdeck.feed import realtime, session
from clipdeck.kernel import ratelimit
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "redis" not in settings.CACHES["default"]["BACKEND"].lower(),
        reason="needs REDIS_URL=redis://…",
    ),
]


@pytest.fixture
def server() -> redis.Redis:
    """A separate connection to the cache's Redis database, as another process sees it."""
    return redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])


def stored(server: redis.Redis, key: str, alias: str = "default") -> bool:
    return server.exists(caches[alias].make_key(key)) == 1


def test_the_cache_is_redis():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_rate_limit_counters_are_shared_through_redis(server):
    assert ratelimit.record_failure("login:alice", window=60) == 1
    assert ratelimit.record_failure("login:alice", window=60) == 2
    keys = [k.decode() for k in server.keys("clipdeck:*rl:login:alice:*")]
    assert len(keys) == 1
    assert int(server.get(keys[0])) == 2
    assert 0 < server.ttl(keys[0]) <= 60


def test_feed_short_term_state_lives_in_redis(server):
    viewer = UserFactory()
    seen = {"id": str(uuid.uuid4()), "author": 7, "sound": None, "hashtags": []}
    realtime.apply(viewer.pk, [(seen, 1.0)])
    assert stored(server, f"feed:short:{viewer.pk}", "feed")
    assert realtime.load(viewer.pk).seen == [seen["id"]]


def test_feed_sessions_live_in_redis(server):
    viewer = UserFactory()
    feed = session.open_session(viewer, None, personalized=True)
    cursor = session.save_session(feed, ["a", "b"])
    assert stored(server, feed.cache_key, "feed")
    assert session.open_session(viewer, cursor, personalized=True).served == ["a", "b"]


def test_readyz_checks_redis():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == "ok"
