"""Retention jobs delete what has expired, on demand and from the worker's tick."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from clipdeck.accounts.models import ApiToken
from clipdeck.accounts.services import token_issue
from clipdeck.feed.models import Event, EventKind
from clipdeck.privacy import retention
from clipdeck.privacy.export import export_request
from clipdeck.privacy.models import DataExport, TransparencyCount
from tests.factories import UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


def old_and_new_events() -> tuple[Event, Event]:
    user, video = UserFactory(), VideoFactory()
    old = Event.objects.create(user=user, video=video, kind=EventKind.VIEW)
    new = Event.objects.create(user=user, video=video, kind=EventKind.VIEW)
    Event.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=91))
    return old, new


def expired_session() -> str:
    session = SessionStore()
    session["x"] = 1
    session.create()
    Session.objects.filter(pk=session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    return session.session_key


def expire_cache_entry(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE clipdeck_cache SET expires = %s WHERE cache_key = %s",
            [timezone.now() - timedelta(minutes=1), cache.make_key(name)],
        )


def cache_rows() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM clipdeck_cache")
        return [row[0] for row in cursor.fetchall()]


def test_a_run_deletes_what_is_past_its_retention_and_keeps_the_rest(settings):
    settings.CLIPDECK_API_TOKEN_IDLE_DAYS = 30
    _, new_event = old_and_new_events()
    user = UserFactory()
    expired = export_request(user=user)
    DataExport.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    stale_session, live_session = expired_session(), Client()
    live_session.force_login(user)
    token_issue(user=user)
    ApiToken.objects.update(created_at=timezone.now() - timedelta(days=31))
    fresh_token = token_issue(user=user)
    database_cache = isinstance(caches["default"], DatabaseCache)
    if database_cache:
        cache.set("rl:gone", 1, timeout=600)
        cache.set("rl:kept", 1, timeout=600)
        expire_cache_entry("rl:gone")

    counts = retention.run()

    assert counts["feed_events"] == 1
    assert list(Event.objects.all()) == [new_event]
    assert counts["exports"] == 1 and not DataExport.objects.exists()
    assert counts["sessions"] == 1
    assert not Session.objects.filter(pk=stale_session).exists()
    assert live_session.get("/api/v1/me").status_code == 200
    assert counts["api_tokens"] == 1
    assert (
        Client().get("/api/v1/me", headers={"Authorization": f"Bearer {fresh_token}"}).status_code
        == 200
    )
    if database_cache:
        assert counts["cache_entries"] == 1
        assert cache_rows() == [cache.make_key("rl:kept")]
    else:  # Redis expires keys by itself
        assert counts["cache_entries"] == 0


def test_a_token_used_recently_is_kept_however_old_within_its_maximum_age(settings):
    settings.CLIPDECK_API_TOKEN_IDLE_DAYS = 30
    settings.CLIPDECK_API_TOKEN_MAX_AGE_DAYS = 500
    token_issue(user=UserFactory())
    ApiToken.objects.update(
        created_at=timezone.now() - timedelta(days=400), last_used_on=timezone.localdate()
    )

    assert retention.run()["api_tokens"] == 0
    assert ApiToken.objects.count() == 1


def test_transparency_counts_are_kept_a_year():
    TransparencyCount.objects.create(day=timezone.localdate() - timedelta(days=366), kind="export")
    TransparencyCount.objects.create(day=timezone.localdate() - timedelta(days=300), kind="export")

    assert retention.run()["transparency_counts"] == 1
    assert TransparencyCount.objects.count() == 1


def test_a_retention_run_says_how_many_of_each_kind_went():
    old_and_new_events()

    first = retention.run()
    second = retention.run()

    assert (first["feed_events"], second["feed_events"]) == (1, 0)
    assert Event.objects.count() == 1


def test_a_negative_interval_turns_the_retention_job_off_too(settings):
    from clipdeck.runtime import scheduler

    settings.CLIPDECK_RETENTION_INTERVAL_SECONDS = -1

    assert "privacy.retention" not in scheduler.tick()


# The in-process worker manages its own transactions (as on PostgreSQL in production).
@pytest.mark.django_db(transaction=True)
def test_the_retention_job_runs_once_per_interval_from_the_worker_scheduler(settings, run_worker):
    from clipdeck.runtime import scheduler

    settings.CLIPDECK_RETENTION_INTERVAL_SECONDS = 3600
    old_and_new_events()

    first = scheduler.tick()
    run_worker()
    old_and_new_events()
    second = scheduler.tick()
    run_worker()

    assert "privacy.retention" in first
    assert "privacy.retention" not in second
    assert Event.objects.count() == 3


def test_a_zero_interval_turns_the_retention_job_off(settings):
    from clipdeck.runtime import scheduler

    settings.CLIPDECK_RETENTION_INTERVAL_SECONDS = 0

    assert "privacy.retention" not in scheduler.tick()


def test_the_command_prints_what_it_deleted():
    old_and_new_events()
    out = StringIO()

    call_command("retention", "run", stdout=out)

    assert "feed_events: 1 deleted" in out.getvalue()
