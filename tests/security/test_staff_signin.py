"""The back office opens only through the app's sign-in, with its limits and a second factor."""

from __future__ import annotations

import base64
import time

import pytest
from django.test import Client
from django_otp.oath import TOTP

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def code_for(secret: str, drift: int = 0) -> str:
    return f"{TOTP(base64.b32decode(secret), drift=drift).token():06d}"


@pytest.fixture
def operator():
    return UserFactory(handle="root_op", password=PASSWORD, is_staff=True, is_superuser=True)


def enable_2fa(api, user) -> str:
    client = api(user)
    secret = client.post("me/2fa/setup", {"password": PASSWORD}).json()["secret"]
    assert client.post("me/2fa/confirm", {"code": code_for(secret, drift=-1)}).status_code == 200
    return secret


def sign_in(client: Client, *, password: str = PASSWORD, code: str | None = None):
    response = client.post("/login", {"login": "root_op", "password": password, "next": "/admin/"})
    if code is not None:
        response = client.post("/login", {"otp": code, "next": "/admin/"})
    return response


def test_the_admin_login_form_never_grants_a_session(operator):
    client = Client()

    response = client.post(
        "/admin/login/", {"username": "root_op", "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/login?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_wrong_admin_passwords_are_counted_by_the_app_sign_in(operator):
    client = Client()
    for _ in range(12):
        sign_in(client, password="not the password")

    # the right password is refused while the limit holds
    response = sign_in(client)

    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302


def test_staff_with_two_factor_open_the_admin_only_after_the_code(api, operator):
    secret = enable_2fa(api, operator)
    client = Client()

    after_password = sign_in(client)
    assert after_password.status_code == 200  # the page now asks for the code
    assert client.get("/admin/").status_code == 302

    sign_in_done = client.post("/login", {"otp": code_for(secret), "next": "/admin/"})
    assert sign_in_done.status_code == 302 and sign_in_done["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert client.session.get_expiry_age() == 30 * 60


def test_staff_without_two_factor_are_asked_to_turn_it_on(operator):
    client = Client()
    sign_in(client)

    page = client.get("/admin/", follow=True)

    assert page.status_code == 403
    assert b"Turn on two-factor sign-in" in page.content
    assert client.get("/admin/accounts/user/").status_code == 302


def test_a_signed_in_non_staff_user_never_reaches_the_admin(api):
    UserFactory(handle="root_op", password=PASSWORD)
    client = Client()
    sign_in(client)

    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/accounts/user/").status_code == 302


def test_the_admin_login_redirect_only_goes_back_into_the_admin():
    response = Client().get("/admin/login/?next=https://evil.example/")

    assert response["Location"] == "/login?next=%2Fadmin%2F"


def test_a_staff_session_ends_at_its_absolute_limit_however_active(api, operator, monkeypatch):
    secret = enable_2fa(api, operator)
    client = Client()
    sign_in(client)
    client.post("/login", {"otp": code_for(secret), "next": "/admin/"})
    signed_in = time.time()
    for hours in (0, 4, 8, 11.9):  # active all along: the idle limit is never reached
        monkeypatch.setattr(time, "time", lambda hours=hours: signed_in + hours * 3600)
        assert client.get("/admin/").status_code == 200

    monkeypatch.setattr(time, "time", lambda: signed_in + 12 * 3600 + 1)
    answer = client.get("/admin/")

    assert answer.status_code == 302
    assert "_auth_user_id" not in client.session  # signed out, not just turned away
    monkeypatch.undo()
    assert client.get("/admin/").status_code == 302
