"""Statements of reasons, appeals once within six months, a different moderator, reversal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clipdeck.kernel.models import AuditEntry
from clipdeck.moderation.models import Appeal, AppealStatus, Decision
from clipdeck.videos.models import ModerationState
from tests.factories import UserFactory
from tests.moderation.conftest import decide, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def removal(api, moderator, reporter, video):
    filed = report(api, reporter, "video", video.pk).json()
    return decide(api, moderator, filed["id"], action="remove").json()["statement"]


def appeal(api, user, decision_id, text="This is my own choreography, nothing harmful."):
    return api(user).post(f"decisions/{decision_id}/appeal", {"text": text})


def test_the_statement_names_ground_action_scope_duration_automation_and_appeal(
    api, author, removal
):
    items = api(author).get("me/decisions").json()["items"]

    assert len(items) == 1
    statement = items[0]
    assert statement["id"] == removal["id"]
    assert statement["action"] == "remove"
    assert statement["what"] == "Removed: Video “a dance #dance”"
    assert statement["ground"] == "harassment"
    assert statement["ground_text"] == "Community guidelines §5: harassment and bullying."
    assert statement["explanation"] == "Targets a named person with insults."
    assert "No one can see it" in statement["scope"]
    assert statement["duration"] == "Until the decision is reversed."
    assert statement["automated_detection"] is False and statement["automated_decision"] is False
    assert "no automated means" in statement["automation"]
    assert f"/api/v1/decisions/{removal['id']}/appeal" in statement["how_to_appeal"]
    appealable = timezone.datetime.fromisoformat(statement["appealable_until"])
    assert timedelta(days=181) < appealable - timezone.now() < timedelta(days=183)


def test_nobody_else_reads_a_statement(api, reporter, removal):
    assert api(reporter).get(f"decisions/{removal['id']}").status_code == 404
    assert api(reporter).get("me/decisions").json()["items"] == []
    assert api().get(f"decisions/{removal['id']}").status_code == 401


def test_an_appeal_is_accepted_once(api, author, removal):
    first = appeal(api, author, removal["id"])
    second = appeal(api, author, removal["id"])

    assert first.status_code == 201 and first.json()["status"] == "pending"
    assert second.status_code == 409 and second.json()["error"]["code"] == "already_appealed"
    assert Appeal.objects.count() == 1


def test_only_the_affected_person_may_appeal(api, reporter, removal):
    response = appeal(api, reporter, removal["id"])

    assert response.status_code == 404
    assert not Appeal.objects.exists()


def test_the_appeal_window_closes_after_six_months(api, author, removal):
    Decision.objects.filter(pk=removal["id"]).update(
        appealable_until=timezone.now() - timedelta(minutes=1)
    )

    response = appeal(api, author, removal["id"])

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "appeal_window_closed"


def test_an_empty_appeal_is_refused(api, author, removal):
    response = appeal(api, author, removal["id"], text="   ")

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "text"


def test_the_moderator_who_decided_may_not_decide_the_appeal(api, moderator, author, removal):
    filed = appeal(api, author, removal["id"]).json()

    response = api(moderator).post(
        f"moderation/appeals/{filed['id']}/decide",
        {"outcome": "reverse", "explanation": "On reflection it is fine."},
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "same_moderator"
    assert Appeal.objects.get().status == AppealStatus.PENDING


def test_a_reversed_removal_restores_the_video_with_its_counts(
    api, second_moderator, author, reporter, video, removal
):
    video.__class__.objects.filter(pk=video.pk).update(like_count=7, view_count=120)
    filed = appeal(api, author, removal["id"]).json()
    queue = api(second_moderator).get("moderation/appeals").json()["items"]

    response = api(second_moderator).post(
        f"moderation/appeals/{filed['id']}/decide",
        {"outcome": "reverse", "explanation": "It is choreography; no one is targeted."},
    )

    assert [a["id"] for a in queue] == [filed["id"]]
    assert queue[0]["decided_by"] == "mod_ana"
    assert response.status_code == 200 and response.json()["status"] == "reversed"
    shown = api(reporter).get(f"videos/{video.pk}")
    assert shown.status_code == 200
    assert shown.json()["counts"]["likes"] == 7
    video.refresh_from_db()
    assert video.moderation_state == ModerationState.NONE and video.view_count == 120
    statement = api(author).get("me/decisions").json()["items"][0]
    assert statement["reversed"] is True
    assert statement["appeal"]["status"] == "reversed"
    assert statement["appeal"]["explanation"] == "It is choreography; no one is targeted."
    entry = AuditEntry.objects.get(action="moderation.appeal_reverse")
    assert entry.actor_id == second_moderator.pk


def test_an_upheld_removal_stays(api, second_moderator, author, reporter, video, removal):
    filed = appeal(api, author, removal["id"]).json()

    api(second_moderator).post(
        f"moderation/appeals/{filed['id']}/decide",
        {"outcome": "uphold", "explanation": "The insults are clear at 0:04."},
    )
    again = api(second_moderator).post(
        f"moderation/appeals/{filed['id']}/decide",
        {"outcome": "reverse", "explanation": "Changed my mind about it."},
    )

    assert again.status_code == 409
    assert api(reporter).get(f"videos/{video.pk}").status_code == 404
    assert api(author).get("me/decisions").json()["items"][0]["appeal"]["status"] == "upheld"


def test_a_reversed_suspension_ends_it(api, moderator, second_moderator, reporter, author):
    filed = report(api, reporter, "user", author.handle).json()
    decision = decide(api, moderator, filed["id"], action="suspend", duration_days=30).json()
    lodged = appeal(api, author, decision["statement"]["id"]).json()

    api(second_moderator).post(
        f"moderation/appeals/{lodged['id']}/decide",
        {"outcome": "reverse", "explanation": "Mistaken identity; another account."},
    )

    author.refresh_from_db()
    assert author.suspended_until is None
    assert api(reporter).get("users/carla").status_code == 200


def test_appeals_are_for_moderators_only(api, author, removal):
    appeal(api, author, removal["id"])

    assert api(author).get("moderation/appeals").status_code == 404
    assert api(UserFactory()).get("moderation/appeals").status_code == 404


def test_the_decision_and_the_appeal_outcome_reach_the_authors_inbox_without_the_reporter(
    api, moderator, second_moderator, author, reporter, video, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        filed = report(api, reporter, "video", video.pk).json()
        decided = decide(api, moderator, filed["id"], action="remove").json()["statement"]
    with django_capture_on_commit_callbacks(execute=True):
        appealed = appeal(api, author, decided["id"]).json()
        api(second_moderator).post(
            f"moderation/appeals/{appealed['id']}/decide",
            {"outcome": "reverse", "explanation": "It is choreography; no one is targeted."},
        )

    inbox = api(author).get("me/notifications").json()
    texts = [item["text"] for item in inbox["items"]]
    assert [item["type"] for item in inbox["items"]] == ["moderation", "moderation"]
    assert texts[0] == "Your appeal was granted: the decision is reversed."
    assert texts[1].startswith("Removed (")
    assert all(item["actor"] is None for item in inbox["items"])
    assert reporter.handle not in str(inbox)
    assert api(reporter).get("me/notifications").json()["items"] == []
