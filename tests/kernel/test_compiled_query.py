"""Queries compiled once (``kernel.compiled_query``) answer what their querysets answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clipdeck.accounts import services
from clipdeck.accounts.models import ApiToken
from clipdeck.accounts.services import token_issue, token_user
from clipdeck.kernel import compiled_query
from clipdeck.videos.models import Video
from tests.factories import UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


def _orm(token: str):
    """The token's user as the uncompiled queryset finds it."""
    bounds = services._token_limits(timezone.now())
    found = list(services._token_query(services._token_hash(token), *bounds))
    return found[0].user if found else None


def test_the_compiled_token_lookup_refuses_and_accepts_exactly_what_the_queryset_does(settings):
    settings.CLIPDECK_API_TOKEN_MAX_AGE_DAYS, settings.CLIPDECK_API_TOKEN_IDLE_DAYS = 90, 30
    fresh, idle, old, inactive = (UserFactory() for _ in range(4))
    tokens = {name: token_issue(user=user) for name, user in
              [("fresh", fresh), ("idle", idle), ("old", old), ("inactive", inactive)]}  # fmt: skip
    now, today = timezone.now(), timezone.localdate()
    ApiToken.objects.filter(user=idle).update(
        created_at=now - timedelta(days=40), last_used_on=today - timedelta(days=31)
    )
    ApiToken.objects.filter(user=old).update(
        created_at=now - timedelta(days=91), last_used_on=today - timedelta(days=1)
    )
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])

    found = {name: token_user(token) for name, token in tokens.items()}

    assert found == {"fresh": fresh, "idle": None, "old": None, "inactive": None}
    assert found == {name: _orm(token) for name, token in tokens.items()}
    assert token_user("cdk_not-a-token") is None
    assert found["fresh"].handle == fresh.handle and found["fresh"].is_active


def test_a_revoked_token_signs_nobody_in_on_the_very_next_lookup():
    user = UserFactory()
    token = token_issue(user=user)
    assert token_user(token) == user

    services.token_revoke(token)

    assert token_user(token) is None


def test_the_token_lookup_is_one_query_and_marks_the_day_of_use_once():
    token = token_issue(user=UserFactory())
    with CaptureQueriesContext(connection) as first:
        token_user(token)
    with CaptureQueriesContext(connection) as again:
        token_user(token)

    assert len(first) == 2  # the lookup, then today's use recorded
    assert len(again) == 1
    assert ApiToken.objects.get().last_used_on == timezone.localdate()


def test_a_query_whose_parameters_do_not_hold_the_sentinel_is_not_compiled():
    VideoFactory()

    compiled = compiled_query.compile_once(
        "tests.no-sentinel", lambda: Video.objects.filter(duration_ms__gte=0), ["absent"]
    )

    assert compiled is None


def test_a_compiled_query_gives_the_querysets_instances_with_their_related_objects():
    video = VideoFactory()
    compiled = compiled_query.compile_once(
        "tests.by-author-handle",
        lambda: Video.objects.select_related("author").filter(author__handle="sentinel-handle"),
        ["sentinel-handle"],
    )
    if connection.vendor != "sqlite":
        assert compiled is None
        return

    [found] = compiled.run(video.author.handle)

    assert found == video and found.author == video.author
    with CaptureQueriesContext(connection) as queries:
        assert found.author.handle == video.author.handle  # read with it, no query
    assert len(queries) == 0
    assert compiled.run("nobody") == []
