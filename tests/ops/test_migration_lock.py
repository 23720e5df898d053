"""Web processes starting together on several machines migrate one at a time."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection

from clipdeck.runtime.databases import MIGRATION_LOCK_ID, migration_lock

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="advisory locks are PostgreSQL's",
    ),
]


def lock_free_elsewhere() -> bool:
    """Whether another connection (another thread) could take the migration lock now."""
    answer = []

    def probe() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [MIGRATION_LOCK_ID])
                taken = cursor.fetchone()[0]
                if taken:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_ID])
                answer.append(taken)
        finally:
            connection.close()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    return answer[0]


def test_the_lock_is_held_while_migrating_and_released_after():
    assert lock_free_elsewhere()
    with migration_lock():
        assert not lock_free_elsewhere()
    assert lock_free_elsewhere()


def test_the_lock_is_released_when_migrating_fails():
    with pytest.raises(RuntimeError), migration_lock():
        raise RuntimeError("a migration failed")
    assert lock_free_elsewhere()
