"""Moderation records in export, erasure and retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clipdeck.kernel.gateway import read_protected
from clipdeck.kernel.models import AuditEntry
from clipdeck.moderation import personal_data
from clipdeck.moderation.models import Case, Decision, Report
from clipdeck.privacy.erasure import account_erase
from tests.moderation.conftest import decide, report

pytestmark = pytest.mark.django_db


def test_the_export_holds_my_reports_and_the_statements_i_received(
    api, moderator, reporter, author, video
):
    filed = report(api, reporter, "video", video.pk, details="see 0:02").json()
    decide(api, moderator, filed["id"], action="warn")

    mine = personal_data.export(reporter)["moderation"]
    theirs = personal_data.export(author)["moderation"]

    assert [(r["reason"], r["details"]) for r in mine["reports"]] == [("harassment", "see 0:02")]
    assert mine["decisions"] == []
    assert [d["action"] for d in theirs["decisions"]] == ["warn"]
    assert theirs["reports"] == []
    assert isinstance(theirs["decisions"][0]["created_at"], str)


def test_erasing_a_reporter_keeps_the_case_counted_without_them(api, reporter, video):
    report(api, reporter, "video", video.pk)

    account_erase(user=reporter)

    row = Report.objects.get()
    assert row.reporter is None
    assert Case.objects.get().report_count == 1


def test_erasing_the_affected_person_takes_their_statements(
    api, moderator, reporter, author, video
):
    filed = report(api, reporter, "video", video.pk).json()
    decide(api, moderator, filed["id"], action="warn")

    account_erase(user=author)

    assert not Decision.objects.exists()


def test_notice_emails_are_blanked_six_months_after_the_decision(api, moderator, video):
    api().post(
        "reports",
        {"target": {"type": "video", "id": str(video.pk)}, "reason": "spam", "email": "n@ex.org"},
    )
    decide(api, moderator, Report.objects.get().pk, action="dismiss")

    early = personal_data.prune(timezone.now() + timedelta(days=30))
    late = personal_data.prune(timezone.now() + timedelta(days=190))

    assert early == {"notice_emails": 0} and late == {"notice_emails": 1}
    assert Report.objects.get().reporter_email == ""


def test_a_moderator_reads_a_notice_email_only_through_the_gateway(api, moderator, video):
    api().post(
        "reports",
        {"target": {"type": "video", "id": str(video.pk)}, "reason": "spam", "email": "n@ex.org"},
    )
    notice = Report.objects.get()

    email = read_protected(
        actor=moderator, subject=notice, field="reporter_email", purpose="Answering the notifier"
    )

    assert email == "n@ex.org"
    entry = AuditEntry.objects.get(action="read", fields=["reporter_email"])
    assert entry.subject == f"moderation.Report:{notice.pk}"
