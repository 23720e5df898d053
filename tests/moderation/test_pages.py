"""The moderation pages: 404 to all but moderators with a second factor; forms call the services."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from clipdeck.moderation.models import Appeal, Case, Report
from clipdeck.videos.models import ModerationState
from tests.factories import UserFactory
from tests.moderation.conftest import decide, report
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(api, reporter, video):
    report(api, reporter, "video", video.pk)
    return Case.objects.get()


def test_moderation_pages_are_404_to_everyone_else(moderator, author, case):
    for path in ("/moderation", f"/moderation/cases/{case.pk}", "/moderation/appeals"):
        assert Client().get(path).status_code == 404
        assert signed_in(author).get(path).status_code == 404
        assert signed_in(moderator).get(path).status_code == 404  # no second factor mark


def test_the_queue_page_lists_cases_with_the_keyboard_legend(moderator, case):
    page = staff_sign_in(Client(), moderator).get("/moderation")

    assert page.status_code == 200
    html = page.content.decode()
    assert f"/moderation/cases/{case.pk}" in html
    assert "<kbd>j</kbd>/<kbd>k</kbd>" in html and "web/js/moderation.js" in html


def test_deciding_from_the_case_page_removes_the_video(moderator, case, video):
    client = staff_sign_in(Client(), moderator)
    page = client.get(f"/moderation/cases/{case.pk}")

    response = client.post(
        f"/moderation/cases/{case.pk}",
        {"action": "remove", "ground": "harassment", "explanation": "Insults a classmate by name."},
    )

    assert page.status_code == 200 and "<kbd>r</kbd> remove" in page.content.decode()
    assert response.status_code == 302 and response["Location"] == "/moderation?decided=remove"
    video.refresh_from_db()
    assert video.moderation_state == ModerationState.REMOVED


def test_a_bad_decision_form_says_what_is_wrong_and_changes_nothing(moderator, case, video):
    client = staff_sign_in(Client(), moderator)

    response = client.post(
        f"/moderation/cases/{case.pk}",
        {"action": "remove", "ground": "harassment", "explanation": "no"},
    )

    assert response.status_code == 400
    assert "Write at least 10 characters in explanation." in response.content.decode()
    video.refresh_from_db()
    assert video.moderation_state == ModerationState.NONE


def test_moderation_media_plays_only_after_the_case_was_opened(moderator, case, video):
    video.mp4.save("v.mp4", ContentFile(b"\x00" * 32))
    client = staff_sign_in(Client(), moderator)

    before = client.get(f"/moderation/media/{video.pk}")
    client.get(f"/moderation/cases/{case.pk}")
    after = client.get(f"/moderation/media/{video.pk}")

    assert before.status_code == 404
    assert after.status_code == 200 and after["Cache-Control"] == "private, no-store"
    assert signed_in(UserFactory()).get(f"/moderation/media/{video.pk}").status_code == 404


def test_an_anonymous_notice_from_the_report_page(video):
    client = Client()
    form = client.get(f"/report/video/{video.pk}")

    missing = client.post(f"/report/video/{video.pk}", {"reason": "spam"})
    sent = client.post(
        f"/report/video/{video.pk}", {"reason": "spam", "email": "n@example.org", "details": "ad"}
    )

    assert 'name="email"' in form.content.decode()
    assert missing.status_code == 400
    assert "Give an email address" in missing.content.decode()
    assert sent.status_code == 200 and "data-report-sent" in sent.content.decode()
    assert Report.objects.get().reporter_email == "n@example.org"


def test_reporting_something_unseen_from_the_page_is_a_404(author):
    assert Client().get("/report/video/not-a-video").status_code == 200  # the form itself
    assert (
        Client()
        .post("/report/video/not-a-video", {"reason": "spam", "email": "n@example.org"})
        .status_code
        == 404
    )


def test_the_author_reads_the_statement_and_appeals_from_the_page(
    api, moderator, second_moderator, author, reporter, video
):
    filed = report(api, reporter, "video", video.pk, details="rita says so").json()
    statement = decide(api, moderator, filed["id"]).json()["statement"]
    page = signed_in(author).get("/settings/decisions")

    sent = signed_in(author).post(
        "/settings/decisions", {"decision": statement["id"], "text": "It is my own dance."}
    )
    appeals = staff_sign_in(Client(), second_moderator).get("/moderation/appeals")
    own = staff_sign_in(Client(), moderator).get("/moderation/appeals")

    html = page.content.decode()
    assert "Community guidelines §5" in html and "Targets a named person" in html
    assert "rita" not in html
    assert sent.status_code == 302
    assert Appeal.objects.get().text == "It is my own dance."
    assert "It is my own dance." in appeals.content.decode()
    assert "another moderator must decide" in own.content.decode()


def test_the_second_moderator_reverses_from_the_appeals_page(
    api, moderator, second_moderator, author, reporter, video
):
    filed = report(api, reporter, "video", video.pk).json()
    statement = decide(api, moderator, filed["id"]).json()["statement"]
    api(author).post(f"decisions/{statement['id']}/appeal", {"text": "Please look again."})
    appeal = Appeal.objects.get()

    response = staff_sign_in(Client(), second_moderator).post(
        "/moderation/appeals",
        {"appeal": appeal.pk, "outcome": "reverse", "explanation": "No one is targeted."},
    )

    assert response.status_code == 302
    video.refresh_from_db()
    assert video.moderation_state == ModerationState.NONE


def test_settings_show_filters_comment_controls_and_held_comments(api, author, video):
    api(author).put("me/filters", {"keywords": ["spoilers"], "hashtags": ["cats"]})
    api(author).patch("me", {"comments_from": "followers", "comment_filter_keywords": ["promo"]})
    fan = UserFactory(handle="fan")
    from tests.factories import FollowFactory

    FollowFactory(follower=fan, followee=author)
    api(fan).post(f"videos/{video.pk}/comments", {"text": "promo code inside"})

    html = signed_in(author).get("/settings").content.decode()

    assert 'value="spoilers"' in html and 'value="#cats"' in html
    assert '<option value="followers" selected>' in html
    assert 'value="promo"' in html
    assert "promo code inside" in html and "data-approve=" in html
    assert "web/js/content_controls.js" in html


def test_videos_comments_and_profiles_carry_a_report_link(author, reporter, video):
    from tests.factories import CommentFactory

    comment = CommentFactory(video=video, author=author, text="hello")

    page = signed_in(reporter).get(f"/v/{video.pk}").content.decode()
    own = signed_in(author).get(f"/v/{video.pk}").content.decode()
    profile = signed_in(reporter).get("/@carla").content.decode()

    assert f"/report/video/{video.pk}" in page and f"/report/comment/{comment.pk}" in page
    assert "/report/video/" not in own and "/report/comment/" not in own
    assert "/report/user/carla" in profile
