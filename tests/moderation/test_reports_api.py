"""Reports and notices: reasons, duplicates on one case, who may report what."""

from __future__ import annotations

import pytest

from clipdeck.moderation.models import Case, CaseStatus, Report
from clipdeck.videos.models import Visibility
from tests.factories import CommentFactory, SoundFactory, UserFactory, VideoFactory
from tests.moderation.conftest import report

pytestmark = pytest.mark.django_db


def test_the_reasons_are_a_published_list_anyone_can_read(api):
    response = api().get("reports/reasons")

    assert response.status_code == 200
    codes = [item["code"] for item in response.json()["items"]]
    assert {"harassment", "hate", "violence", "self_harm", "nudity", "minors_safety"} <= set(codes)
    assert {"spam", "scam", "intellectual_property", "other", "illegal_terrorism"} <= set(codes)
    illegal = {i["code"] for i in response.json()["items"] if i["illegal"]}
    assert "illegal_child_sexual_abuse" in illegal and "spam" not in illegal


def test_a_signed_in_report_opens_a_case_with_the_reasons_severity(api, reporter, video):
    response = report(api, reporter, "video", video.pk, reason="violence", details="a threat")

    assert response.status_code == 201
    assert response.json()["status"] == "received"
    case = Case.objects.get()
    assert (case.target_type, case.target_id, case.status) == ("video", str(video.pk), "open")
    assert case.severity == 4 and case.report_count == 1
    assert case.target_owner == video.author


def test_duplicates_are_grouped_on_one_case_with_the_highest_severity(api, video):
    report(api, UserFactory(), "video", video.pk, reason="spam")
    report(api, UserFactory(), "video", video.pk, reason="minors_safety")
    report(api, UserFactory(), "video", video.pk, reason="spam")

    case = Case.objects.get()
    assert case.report_count == 3
    assert case.severity == 5
    assert Report.objects.filter(case=case).count() == 3


def test_the_same_person_reporting_twice_counts_once(api, reporter, video):
    first = report(api, reporter, "video", video.pk).json()
    second = report(api, reporter, "video", video.pk).json()

    assert first["id"] == second["id"]
    assert Case.objects.get().report_count == 1


def test_an_anonymous_notice_needs_an_email(api, video):
    refused = api().post(
        "reports", {"target": {"type": "video", "id": str(video.pk)}, "reason": "hate"}
    )
    accepted = api().post(
        "reports",
        {
            "target": {"type": "video", "id": str(video.pk)},
            "reason": "illegal_hate_speech",
            "details": "Incites violence against a group.",
            "email": "notifier@example.org",
        },
    )

    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "email_required"
    assert accepted.status_code == 201
    notice = Report.objects.get()
    assert notice.reporter is None and notice.reporter_email == "notifier@example.org"


def test_an_unknown_reason_is_refused_naming_the_list(api, reporter, video):
    response = report(api, reporter, "video", video.pk, reason="boring")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_reason"
    assert "GET /api/v1/reports/reasons" in response.json()["error"]["message"]
    assert not Case.objects.exists()


def test_something_the_reporter_may_not_see_is_a_404_and_opens_no_case(api, reporter, author):
    private = VideoFactory(author=author, visibility=Visibility.PRIVATE)

    response = report(api, reporter, "video", private.pk)
    anonymous = api().post(
        "reports",
        {"target": {"type": "video", "id": "nope"}, "reason": "spam", "email": "a@b.example"},
    )

    assert response.status_code == 404
    assert anonymous.status_code == 404
    assert not Case.objects.exists()


def test_reporting_ones_own_content_is_refused(api, author, video):
    response = report(api, author, "video", video.pk)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "own_content"


def test_comments_accounts_products_and_sounds_can_be_reported(api, reporter, author, video):
    comment = CommentFactory(video=video, author=author)
    sound = SoundFactory()

    kinds = [
        report(api, reporter, "comment", comment.pk).status_code,
        report(api, reporter, "user", author.handle).status_code,
        report(api, reporter, "sound", sound.pk).status_code,
    ]

    assert kinds == [201, 201, 201]
    assert set(Case.objects.values_list("target_type", flat=True)) == {"comment", "user", "sound"}
    assert Case.objects.get(target_type="user").target_id == "carla"


def test_a_decided_case_does_not_swallow_new_reports(api, reporter, video, moderator):
    first = report(api, reporter, "video", video.pk).json()
    from tests.moderation.conftest import decide

    decide(api, moderator, first["id"], action="dismiss")
    report(api, UserFactory(), "video", video.pk)

    assert Case.objects.filter(status=CaseStatus.OPEN).count() == 1
    assert Case.objects.filter(status=CaseStatus.DECIDED).count() == 1


def test_reports_are_rate_limited(api, reporter, settings):
    settings.CLIPDECK_RATE_LIMITS = {**settings.CLIPDECK_RATE_LIMITS, "report": (2, 100, 3600)}
    videos = [VideoFactory() for _ in range(3)]

    codes = [report(api, reporter, "video", v.pk).status_code for v in videos]

    assert codes == [201, 201, 429]


def test_the_reporter_follows_their_report_to_its_outcome(api, reporter, moderator, video):
    from tests.moderation.conftest import decide

    filed = report(api, reporter, "video", video.pk).json()
    before = api(reporter).get("me/reports").json()["items"]
    decide(api, moderator, filed["id"], action="remove")
    after = api(reporter).get("me/reports").json()["items"]

    assert [(r["status"], r["outcome"]) for r in before] == [("open", None)]
    assert [(r["status"], r["outcome"]) for r in after] == [("decided", "remove")]
    assert api(video.author).get("me/reports").json()["items"] == []
