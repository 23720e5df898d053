"""The moderation queue and decisions: moderators only, every action audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clipdeck.kernel.models import AuditEntry
from clipdeck.moderation.models import Case, CaseStatus, Decision
from clipdeck.moderation.services import moderator_grant
from clipdeck.videos.models import CommentState, ModerationState, Visibility
from tests.factories import CommentFactory, UserFactory, VideoFactory
from tests.moderation.conftest import decide, report
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(api, reporter, video):
    return report(api, reporter, "video", video.pk).json()


def _not_moderators():
    staff = UserFactory(handle="staffer", is_staff=True)
    staff.groups.add(Group.objects.get_or_create(name="support")[0])
    no_second_factor = moderator_grant(user=UserFactory(handle="mod_no2fa"))
    root = UserFactory(handle="root", is_staff=True, is_superuser=True)
    return [UserFactory(handle="viewer"), staff, no_second_factor, root]


def test_the_queue_is_a_404_for_everyone_but_moderators(api, reported, video):
    callers = [api(user) for user in _not_moderators()]

    codes = [client.get("moderation/queue").status_code for client in callers]
    decided = [
        client.post(
            f"moderation/reports/{reported['id']}/decide",
            {"action": "remove", "ground": "spam", "explanation": "Spam spam spam spam."},
        ).status_code
        for client in callers
    ]

    assert codes == [404, 404, 404, 404]
    assert decided == [404, 404, 404, 404]
    assert api().get("moderation/queue").status_code == 401
    video.refresh_from_db()
    assert video.moderation_state == ModerationState.NONE
    assert Case.objects.get().status == CaseStatus.OPEN


def test_a_browser_session_needs_the_second_factor_mark(moderator, reported):
    plain = Client()
    plain.force_login(moderator)
    marked = staff_sign_in(Client(), moderator)

    assert plain.get("/api/v1/moderation/queue").status_code == 404
    assert marked.get("/api/v1/moderation/queue").status_code == 200


def test_the_queue_puts_the_most_severe_first_then_the_oldest(api, moderator, reporter):
    old_spam, new_spam, violence = VideoFactory(), VideoFactory(), VideoFactory()
    report(api, reporter, "video", old_spam.pk, reason="spam")
    report(api, reporter, "video", new_spam.pk, reason="spam")
    report(api, reporter, "video", violence.pk, reason="violence")
    Case.objects.filter(target_id=str(old_spam.pk)).update(
        opened_at=timezone.now() - timedelta(hours=3)
    )

    items = api(moderator).get("moderation/queue").json()["items"]

    assert [i["target"]["id"] for i in items] == [
        str(violence.pk),
        str(old_spam.pk),
        str(new_spam.pk),
    ]
    assert items[0]["reasons"] == ["Violence or threats"] and items[0]["severity"] == 4


def test_the_queue_pages_with_a_cursor(api, moderator, reporter):
    for _ in range(3):
        report(api, reporter, "video", VideoFactory().pk)

    first = api(moderator).get("moderation/queue", {"limit": 2}).json()
    rest = (
        api(moderator).get("moderation/queue", {"limit": 2, "cursor": first["next_cursor"]}).json()
    )
    bad = api(moderator).get("moderation/queue", {"cursor": "%%%"})

    assert len(first["items"]) == 2 and len(rest["items"]) == 1
    assert rest["next_cursor"] is None
    assert bad.status_code == 400


def test_removing_answers_every_duplicate_and_is_audited(api, moderator, video):
    first = report(api, UserFactory(), "video", video.pk).json()
    report(api, UserFactory(), "video", video.pk, reason="hate")

    response = decide(api, moderator, first["id"], action="remove")

    assert response.status_code == 200, response.content
    assert response.json()["reports_answered"] == 2
    video.refresh_from_db()
    assert video.moderation_state == ModerationState.REMOVED
    assert Case.objects.get().status == CaseStatus.DECIDED
    entry = AuditEntry.objects.get(action="moderation.remove")
    assert (entry.actor_id, entry.actor_role) == (moderator.pk, "moderator")
    assert entry.subject == f"videos.Video:{video.pk}"
    assert "Targets a named person" in entry.justification
    assert api(moderator).get("moderation/queue").json()["items"] == []


def test_a_case_is_decided_once(api, moderator, reported):
    decide(api, moderator, reported["id"], action="dismiss")

    again = decide(api, moderator, reported["id"], action="remove")

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "case_decided"
    assert Decision.objects.count() == 1


def test_a_decision_needs_a_ground_and_an_explanation(api, moderator, reported, video):
    no_ground = decide(api, moderator, reported["id"], ground="because")
    short = decide(api, moderator, reported["id"], explanation="bad")

    assert no_ground.status_code == 400 and no_ground.json()["error"]["code"] == "invalid_reason"
    assert short.status_code == 400 and short.json()["error"]["field"] == "explanation"
    video.refresh_from_db()
    assert video.moderation_state == ModerationState.NONE
    assert not AuditEntry.objects.filter(action__startswith="moderation.").exists()


def test_an_action_that_does_not_fit_the_item_is_refused(api, moderator, reporter, author, video):
    comment = CommentFactory(video=video, author=author)
    filed = report(api, reporter, "comment", comment.pk).json()

    response = decide(api, moderator, filed["id"], action="restrict")

    assert response.status_code == 400
    assert (
        response.json()["error"]["message"] == "A comment can be: dismiss, remove, suspend, warn."
    )


def test_removing_a_comment_hides_it_and_fixes_the_count(api, moderator, reporter, author, video):
    comment = api(author).post(f"videos/{video.pk}/comments", {"text": "hello"}).json()
    filed = report(api, reporter, "comment", comment["id"]).json()

    decide(api, moderator, filed["id"], action="remove")

    listed = api(reporter).get(f"videos/{video.pk}/comments").json()["items"]
    assert listed == []
    video.refresh_from_db()
    assert video.comment_count == 0
    assert CommentFactory._meta.model.objects.get().state == CommentState.REMOVED


def test_suspending_needs_a_duration_and_hides_the_account(api, moderator, reporter, author, video):
    filed = report(api, reporter, "user", author.handle).json()

    missing = decide(api, moderator, filed["id"], action="suspend")
    done = decide(api, moderator, filed["id"], action="suspend", duration_days=7)

    assert missing.status_code == 400 and missing.json()["error"]["code"] == "invalid_duration"
    assert done.status_code == 200
    assert api(reporter).get("users/carla").status_code == 404
    assert api().get(f"videos/{video.pk}").status_code == 404
    assert api(reporter).get(f"videos/{video.pk}").status_code == 404
    # The suspended person still signs in, sees their statement, and cannot post.
    assert api(author).get("me").json()["suspended_until"] is not None
    assert api(author).get("me/decisions").json()["items"][0]["action"] == "suspend"
    other = VideoFactory()
    refused = api(author).post(f"videos/{other.pk}/comments", {"text": "hi"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "account_suspended"


def test_a_suspension_ends_on_its_own(api, moderator, reporter, author, video):
    filed = report(api, reporter, "user", author.handle).json()
    decide(api, moderator, filed["id"], action="suspend", duration_days=1)

    type(author).objects.filter(pk=author.pk).update(
        suspended_until=timezone.now() - timedelta(seconds=1)
    )

    assert api(reporter).get("users/carla").status_code == 200
    assert api().get(f"videos/{video.pk}").status_code == 200


def test_restricting_leaves_the_video_to_its_author(api, moderator, reporter, author, video):
    filed = report(api, reporter, "video", video.pk).json()

    decide(api, moderator, filed["id"], action="restrict")

    assert api(author).get(f"videos/{video.pk}").status_code == 200
    assert api(reporter).get(f"videos/{video.pk}").status_code == 404
    assert api().get(f"videos/{video.pk}").status_code == 404
    drafts = api(author).get("me/drafts").json()["items"]
    assert [d["id"] for d in drafts] == [str(video.pk)]


def test_age_gating_hides_the_video_from_signed_out_viewers(api, moderator, reporter, video):
    filed = report(api, reporter, "video", video.pk, reason="nudity").json()

    decide(api, moderator, filed["id"], action="age_gate", ground="nudity")

    assert api().get(f"videos/{video.pk}").status_code == 404
    seen = api(reporter).get(f"videos/{video.pk}")
    assert seen.status_code == 200


def test_warning_changes_nothing_but_sends_a_statement(api, moderator, reporter, author, video):
    filed = report(api, reporter, "video", video.pk).json()

    decide(api, moderator, filed["id"], action="warn")

    assert api().get(f"videos/{video.pk}").status_code == 200
    statements = api(author).get("me/decisions").json()["items"]
    assert [s["action"] for s in statements] == ["warn"]


def test_a_dismissal_sends_no_statement(api, moderator, reported, author):
    decide(api, moderator, reported["id"], action="dismiss")

    assert api(author).get("me/decisions").json()["items"] == []


def test_a_moderator_reads_non_public_content_only_through_the_gateway(
    api, moderator, reporter, author
):
    public = VideoFactory(author=author, caption="public one")
    hidden = VideoFactory(author=author, caption="followers only", visibility=Visibility.FOLLOWERS)
    from tests.factories import FollowFactory

    FollowFactory(follower=reporter, followee=author)
    public_case = report(api, reporter, "video", public.pk).json()
    hidden_case = report(api, reporter, "video", hidden.pk).json()
    case_ids = dict((str(c.target_id), c.pk) for c in Case.objects.all())

    seen_public = api(moderator).get(f"moderation/cases/{case_ids[str(public.pk)]}").json()
    seen_hidden = api(moderator).get(f"moderation/cases/{case_ids[str(hidden.pk)]}").json()

    assert public_case["status"] == hidden_case["status"] == "received"
    assert seen_public["content"]["text"] == "public one" and seen_public["public"] is True
    assert seen_hidden["content"]["text"] == "followers only" and seen_hidden["public"] is False
    reads = AuditEntry.objects.filter(action="read", fields=["moderation_review"])
    assert [e.subject for e in reads] == [f"videos.Video:{hidden.pk}"]
    assert reads.get().justification == f"Reviewing moderation case {case_ids[str(hidden.pk)]}"


def test_a_case_shows_reporters_as_account_or_notice_never_by_name(api, moderator, video):
    report(api, UserFactory(handle="quiet_one"), "video", video.pk, details="see 0:03")
    api().post(
        "reports",
        {
            "target": {"type": "video", "id": str(video.pk)},
            "reason": "spam",
            "email": "someone@example.org",
        },
    )
    case = Case.objects.get()

    body = api(moderator).get(f"moderation/cases/{case.pk}")

    assert [r["source"] for r in body.json()["reports"]] == ["account", "notice"]
    assert b"quiet_one" not in body.content and b"someone@example.org" not in body.content


def test_the_queue_costs_the_same_queries_for_one_case_or_many(api, moderator, reporter):
    report(api, reporter, "video", VideoFactory().pk)
    client = api(moderator)
    with CaptureQueriesContext(connection) as one:
        client.get("moderation/queue")
    for _ in range(5):
        report(api, reporter, "video", VideoFactory().pk)
    report(api, reporter, "user", UserFactory().handle)
    with CaptureQueriesContext(connection) as many:
        items = client.get("moderation/queue").json()["items"]

    assert len(items) == 7
    assert len(many.captured_queries) <= len(one.captured_queries) + 1  # one more kind: users
