"""Transparency figures per half-year, computed from the records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from clipdeck.moderation.models import Case, Decision
from clipdeck.moderation.transparency import period_bounds, period_of
from tests.factories import UserFactory, VideoFactory
from tests.moderation.conftest import decide, report

pytestmark = pytest.mark.django_db


def test_half_years_run_january_to_june_and_july_to_december():
    assert period_of(datetime(2026, 6, 30, 23, 59, tzinfo=UTC)) == "2026-H1"
    assert period_of(datetime(2026, 7, 1, tzinfo=UTC)) == "2026-H2"
    assert period_bounds("2026-H2") == (
        datetime(2026, 7, 1, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
    )


def test_the_figures_count_notices_actions_appeals_and_suspensions(
    api, moderator, second_moderator, reporter, author, video
):
    first = report(api, reporter, "video", video.pk, reason="hate").json()
    report(api, UserFactory(), "video", video.pk, reason="violence")
    api().post(
        "reports",
        {"target": {"type": "user", "id": "carla"}, "reason": "spam", "email": "x@example.org"},
    )
    Case.objects.filter(target_type="video").update(
        opened_at=Case.objects.get(target_type="video").opened_at - timedelta(hours=4)
    )
    removal = decide(api, moderator, first["id"], ground="hate").json()["statement"]
    account_case = Case.objects.get(target_type="user").reports.get()
    decide(api, moderator, account_case.pk, action="suspend", ground="spam", duration_days=3)
    appealed = (
        api(author)
        .post(f"decisions/{removal['id']}/appeal", {"text": "It quotes a song, not hate."})
        .json()
    )
    api(second_moderator).post(
        f"moderation/appeals/{appealed['id']}/decide",
        {"outcome": "reverse", "explanation": "A quotation, not hateful."},
    )

    body = api().get("transparency").json()

    assert body["period"] == period_of(Decision.objects.first().created_at)
    assert body["notices"]["total"] == 3
    assert body["notices"]["anonymous_notices"] == 1
    assert {r["reason"]: r["count"] for r in body["notices"]["by_reason"]} == {
        "hate": 1,
        "violence": 1,
        "spam": 1,
    }
    assert body["actions"]["by_action"] == {"remove": 1, "suspend": 1}
    assert {g["ground"]: g["count"] for g in body["actions"]["by_ground"]} == {"hate": 1, "spam": 1}
    assert body["actions"]["automated_share"] == 0.0
    assert body["actions"]["median_hours_to_decision"] >= 2.0
    assert body["appeals"] == {
        "received": 1,
        "pending": 0,
        "upheld": 0,
        "reversed": 1,
        "median_hours_to_decision": body["appeals"]["median_hours_to_decision"],
    }
    assert body["suspensions"] == {"total": 1, "reversed": 0}
    roles = {(a["role"], a["action"]) for a in body["staff_accesses"]}
    assert ("moderator", "moderation.remove") in roles
    assert ("moderator", "moderation.appeal_reverse") in roles
    page = Client().get("/transparency").content.decode()
    assert "data-notices-total>3<" in page and "data-appeals-reversed>1<" in page
    assert "carla" not in page and "rita" not in page


def test_another_half_year_has_its_own_figures(api, reporter, video):
    report(api, reporter, "video", video.pk)

    empty = api().get("transparency", {"period": "2020-H1"}).json()
    bad = api().get("transparency", {"period": "last year"})

    assert empty["notices"]["total"] == 0 and empty["actions"]["total"] == 0
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_period"


def test_nothing_yet_gives_zeros_not_errors(api):
    VideoFactory()

    body = api().get("transparency").json()

    assert body["notices"]["total"] == 0
    assert body["actions"]["median_hours_to_decision"] is None
