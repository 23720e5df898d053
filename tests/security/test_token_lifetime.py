"""API tokens have an absolute lifetime: past ``CLIPDECK_API_TOKEN_MAX_AGE_DAYS`` a
token signs nobody in, however recently it was used, and retention deletes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clipdeck.accounts.models import ApiToken
from clipdeck.accounts.services import token_issue
from clipdeck.privacy import retention
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _age(token_count: int, *, days: int, used_days_ago: int) -> None:
    assert ApiToken.objects.count() == token_count
    ApiToken.objects.update(
        created_at=timezone.now() - timedelta(days=days),
        last_used_on=timezone.localdate() - timedelta(days=used_days_ago),
    )


def test_a_token_older_than_the_maximum_age_is_refused_though_used_yesterday(api, settings):
    settings.CLIPDECK_API_TOKEN_MAX_AGE_DAYS = 90
    token = token_issue(user=UserFactory())
    _age(1, days=91, used_days_ago=1)

    answer = api().get("me", headers=_bearer(token))

    assert answer.status_code == 401, answer.content
    assert answer.json()["error"]["code"] == "not_authenticated"


def test_a_token_within_the_maximum_age_still_works(api, settings):
    settings.CLIPDECK_API_TOKEN_MAX_AGE_DAYS = 90
    user = UserFactory()
    token = token_issue(user=user)
    _age(1, days=89, used_days_ago=1)

    answer = api().get("me", headers=_bearer(token))

    assert answer.status_code == 200, answer.content
    assert answer.json()["handle"] == user.handle


def test_a_token_idle_past_the_idle_limit_is_refused_before_it_is_pruned(api, settings):
    settings.CLIPDECK_API_TOKEN_IDLE_DAYS = 30
    token = token_issue(user=UserFactory())
    _age(1, days=40, used_days_ago=31)

    assert api().get("me", headers=_bearer(token)).status_code == 401


def test_retention_deletes_tokens_past_their_maximum_age(settings):
    settings.CLIPDECK_API_TOKEN_MAX_AGE_DAYS = 90
    token_issue(user=UserFactory())
    _age(1, days=91, used_days_ago=0)
    owner = UserFactory()
    token_issue(user=owner)

    assert retention.run()["api_tokens"] == 1
    assert list(ApiToken.objects.values_list("user", flat=True)) == [owner.pk]
