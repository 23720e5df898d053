"""Account recovery by email: reset links and address confirmation."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.utils import timezone

from clipdeck.accounts.models import ApiToken, User
from clipdeck.accounts.services import token_issue
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def ada():
    return UserFactory(handle="ada", email="ada@example.com")


def ask(client: Client, email: str):
    return client.post("/password/reset", {"email": email})


def same_page(response, email: str) -> str:
    """The page without what differs by design: the address typed and the CSRF token."""
    html = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'(data-csrf|value)="[^"]+"', "", html)


def link_in_mail() -> str:
    (message,) = mail.outbox
    return re.search(r"http://testserver(/password/reset/\S+)", message.body).group(1)


def test_asking_mails_a_link_and_answers_the_same_for_an_unknown_address(ada, run_worker):
    known = ask(Client(), "ADA@example.com")
    unknown = ask(Client(), "nobody@example.com")
    run_worker()

    assert known.status_code == unknown.status_code == 200
    assert same_page(known, "ADA@example.com") == same_page(unknown, "nobody@example.com")
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]
    assert mail.outbox[0].subject == "Reset your Clipdeck password"


def test_the_link_sets_a_new_password_and_ends_every_session_and_token(ada, run_worker):
    signed_in = Client()
    signed_in.force_login(ada)
    token = token_issue(user=ada)
    ask(Client(), "ada@example.com")
    run_worker()
    link = link_in_mail()

    page = Client().get(link)
    done = Client().post(link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})

    assert page.status_code == 200 and "Choose a new password" in page.content.decode()
    assert done.status_code == 200 and "Your password is changed" in done.content.decode()
    ada.refresh_from_db()
    assert ada.check_password(NEW_PASSWORD)
    assert not ApiToken.objects.filter(user=ada).exists()
    assert signed_in.get("/api/v1/me").status_code == 401
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_a_link_works_once(ada, run_worker):
    ask(Client(), "ada@example.com")
    run_worker()
    link = link_in_mail()
    Client().post(link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})

    other = "another one entirely"
    again = Client().post(link, {"password": other, "password_again": other})

    assert again.status_code == 400
    assert "expired or was already used" in again.content.decode()
    ada.refresh_from_db()
    assert ada.check_password(NEW_PASSWORD)


def test_a_link_expires(ada, run_worker, settings):
    ask(Client(), "ada@example.com")
    run_worker()
    link = link_in_mail()
    later = (timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 5)).replace(
        tzinfo=None
    )

    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        response = Client().post(link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})

    assert response.status_code == 400
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("path", "why"),
    [("/password/reset/xx/yy", "garbage"), ("/password/reset/MQ/1-abc", "forged token")],
)
def test_a_forged_link_is_refused(ada, path, why):
    response = Client().post(path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})

    assert response.status_code == 400, why
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD)


def test_a_weak_or_mismatched_new_password_is_refused_and_the_link_still_works(ada, run_worker):
    ask(Client(), "ada@example.com")
    run_worker()
    link = link_in_mail()

    weak = Client().post(link, {"password": "short", "password_again": "short"})
    mismatch = Client().post(link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD + "x"})
    good = Client().post(link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})

    assert weak.status_code == 400 and mismatch.status_code == 400
    assert "not the same" in mismatch.content.decode()
    assert good.status_code == 200


def test_requests_are_throttled_per_address_without_telling(ada, run_worker, settings):
    limits = {**settings.CLIPDECK_RATE_LIMITS, "password_reset": (2, 0, 3600)}
    settings.CLIPDECK_RATE_LIMITS = limits
    answers = [ask(Client(), "ada@example.com").status_code for _ in range(4)]
    run_worker()

    assert answers == [200, 200, 200, 200]
    assert len(mail.outbox) == 2


def test_requests_are_throttled_per_network(ada, settings):
    limits = {**settings.CLIPDECK_RATE_LIMITS, "password_reset": (0, 2, 3600)}
    settings.CLIPDECK_RATE_LIMITS = limits
    answers = [ask(Client(), f"x{n}@example.com").status_code for n in range(3)]

    assert answers == [200, 200, 429]


def test_sign_up_mails_a_confirmation_link_that_marks_the_address(run_worker):
    client = Client()
    client.post(
        "/signup",
        {"handle": "bo", "email": "bo@example.com", "password": PASSWORD, "display_name": "Bo"},
    )
    run_worker()
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/email/verify/\S+)", message.body).group(1)

    response = Client().get(link)

    assert response.status_code == 200 and "Email confirmed" in response.content.decode()
    assert User.objects.get(handle="bo").email_verified_at is not None
    assert Client().get(link[:-3] + "abc").status_code == 400


def test_sign_up_sends_nothing_when_confirmation_is_off(run_worker, settings):
    settings.CLIPDECK_EMAIL_VERIFICATION = False
    Client().post("/signup", {"handle": "cy", "email": "cy@example.com", "password": PASSWORD})
    run_worker()

    assert mail.outbox == []


def test_settings_offers_to_send_the_confirmation_again_until_confirmed(ada, run_worker):
    client = Client()
    client.force_login(ada)

    page = client.get("/settings").content.decode()
    sent = client.post("/email/verify/send")
    run_worker()

    assert "Not confirmed yet" in page
    assert sent.status_code == 302
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]
    User.objects.filter(pk=ada.pk).update(email_verified_at=timezone.now())
    assert "Confirmed." in client.get("/settings").content.decode()
    assert Client().post("/email/verify/send").status_code == 302  # to the login page
    run_worker()
    assert len(mail.outbox) == 1
