"""TOTP two-factor sign-in: set-up, sign-in, recovery codes, re-authentication, erasure."""

from __future__ import annotations

import base64
import time
from unittest import mock
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.test import Client
from django_otp.oath import TOTP

from clipdeck.accounts.models import TwoFactor, User
from clipdeck.privacy.erasure import account_erase
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def code_for(secret: str, drift: int = 0) -> str:
    totp = TOTP(base64.b32decode(secret), drift=drift)
    return f"{totp.token():06d}"


@pytest.fixture
def person():
    return UserFactory(handle="ada", password=PASSWORD)


def enable(api, user) -> tuple[str, list[str]]:
    """Turn 2FA on through the API; the secret and the recovery codes."""
    client = api(user)
    secret = client.post("me/2fa/setup", {"password": PASSWORD}).json()["secret"]
    response = client.post("me/2fa/confirm", {"code": code_for(secret, drift=-1)})
    assert response.status_code == 200, response.content
    return secret, response.json()["recovery_codes"]


def login(api, **extra):
    return api().post("auth/login", {"login": "ada", "password": PASSWORD, **extra})


def test_setup_gives_a_secret_and_an_otpauth_uri_for_the_app(api, person):
    response = api(person).post("me/2fa/setup", {"password": PASSWORD})

    body = response.json()
    uri = urlsplit(body["otpauth_uri"])
    assert response.status_code == 200
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    assert parse_qs(uri.query)["secret"] == [body["secret"]]
    assert api(person).get("me/2fa").json() == {"enabled": False, "recovery_codes_left": 0}


def test_setup_needs_the_password_so_a_borrowed_session_cannot_lock_the_owner_out(api, person):
    client = api(person)

    wrong = client.post("me/2fa/setup", {"password": "not my password"})
    missing = client.post("me/2fa/setup")

    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "invalid_credentials"
    assert missing.status_code == 422  # no password at all: a validation error
    assert not TwoFactor.objects.filter(user=person).exists()
    assert client.post("me/2fa/confirm", {"code": "123456"}).status_code == 409


def test_the_secret_is_stored_sealed_with_the_users_key(api, person):
    secret = api(person).post("me/2fa/setup", {"password": PASSWORD}).json()["secret"]

    stored = TwoFactor.objects.get(user=person).secret
    assert secret not in stored
    assert stored.startswith("cd1.")


def test_a_wrong_first_code_does_not_turn_it_on(api, person):
    client = api(person)
    client.post("me/2fa/setup", {"password": PASSWORD})

    response = client.post("me/2fa/confirm", {"code": "000000"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_otp"
    assert login(api).status_code == 200


def test_confirming_without_setup_is_refused(api, person):
    response = api(person).post("me/2fa/confirm", {"code": "123456"})

    assert response.status_code == 409


def test_once_on_sign_in_needs_a_code(api, person):
    secret, codes = enable(api, person)

    missing = login(api)
    wrong = login(api, otp="000000")
    right = login(api, otp=code_for(secret))

    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "otp_required"
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "invalid_otp"
    assert right.status_code == 200
    assert len(codes) == 10
    assert api(person).get("me/2fa").json() == {"enabled": True, "recovery_codes_left": 10}


def test_a_code_works_only_once(api, person):
    secret, _ = enable(api, person)
    code = code_for(secret)

    assert login(api, otp=code).status_code == 200
    again = login(api, otp=code)
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "otp_reused"
    assert "already used" in again.json()["error"]["message"]


def test_a_code_from_another_account_is_wrong_not_reused(api, person):
    enable(api, person)

    response = login(api, otp=code_for(base64.b32encode(b"x" * 20).decode()))

    assert response.json()["error"]["code"] == "invalid_otp"


def test_turning_off_with_the_code_just_used_to_sign_in_says_to_wait(api, person):
    secret, _ = enable(api, person)
    code = code_for(secret)
    assert login(api, otp=code).status_code == 200

    response = api(person).delete("me/2fa", {"password": PASSWORD, "code": code})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "otp_reused"
    assert TwoFactor.objects.filter(user=person).exists()


def test_a_wrong_password_never_asks_for_the_code(api, person):
    enable(api, person)

    response = api().post("auth/login", {"login": "ada", "password": "nope", "otp": "1"})

    assert response.json()["error"]["code"] == "invalid_credentials"


def test_a_recovery_code_signs_in_once_and_is_stored_hashed(api, person):
    _, codes = enable(api, person)

    first = login(api, otp=codes[0].upper())
    again = login(api, otp=codes[0])

    assert first.status_code == 200
    assert again.status_code == 401
    stored = TwoFactor.objects.get(user=person).recovery_hashes
    assert len(stored) == 9
    assert not any(code.replace("-", "") in h for code in codes for h in stored)


def test_wrong_codes_count_towards_the_sign_in_limit(api, person, settings):
    settings.CLIPDECK_LOGIN_MAX_FAILURES = 2
    secret, _ = enable(api, person)

    login(api, otp="000000")
    login(api, otp="000001")
    response = login(api, otp=code_for(secret))

    assert response.status_code == 429


def test_setup_again_while_on_is_refused(api, person):
    enable(api, person)

    assert api(person).post("me/2fa/setup", {"password": PASSWORD}).status_code == 409


def test_turning_off_needs_password_and_code(api, person):
    _, codes = enable(api, person)
    client = api(person)

    no_code = client.delete("me/2fa", {"password": PASSWORD, "code": "000000"})
    bad_password = client.delete("me/2fa", {"password": "nope", "code": codes[1]})
    ok = client.delete("me/2fa", {"password": PASSWORD, "code": codes[1]})

    assert no_code.status_code == 400
    assert bad_password.status_code == 400
    assert ok.status_code == 200
    assert login(api).status_code == 200
    assert not TwoFactor.objects.filter(user=person).exists()


def test_changing_the_password_needs_the_code_when_on(api, person):
    secret, _ = enable(api, person)
    client = api(person)
    change = {"old_password": PASSWORD, "new_password": "a brand new passphrase"}

    refused = client.post("me/password", change)
    accepted = client.post("me/password", {**change, "otp": code_for(secret)})

    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_otp"
    assert accepted.status_code == 200


def test_erasing_the_account_needs_the_code_when_on(api, person):
    _, codes = enable(api, person)
    client = api(person)

    refused = client.delete("me", {"password": PASSWORD})
    assert refused.status_code == 400
    assert User.objects.filter(pk=person.pk).exists()

    assert client.delete("me", {"password": PASSWORD, "otp": codes[0]}).status_code == 204
    assert not User.objects.filter(pk=person.pk).exists()


def test_erasure_removes_the_second_factor(api, person):
    enable(api, person)

    account_erase(user=person)

    assert not TwoFactor.objects.exists()


def test_the_web_login_asks_for_the_code_as_a_second_step(api, person):
    secret, _ = enable(api, person)
    client = Client()

    first = client.post("/login", {"login": "ada", "password": PASSWORD})
    wrong = client.post("/login", {"otp": "000000"})
    right = client.post("/login", {"otp": code_for(secret)})

    assert first.status_code == 200
    assert b'name="otp"' in first.content
    assert b'name="password"' not in first.content
    assert wrong.status_code == 401
    assert right.status_code == 302
    assert client.get("/api/v1/me").json()["handle"] == "ada"


def test_the_second_step_alone_signs_nobody_in(person):
    client = Client()

    response = client.post("/login", {"otp": "123456"})

    assert response.status_code in (200, 400)
    assert client.get("/api/v1/me").status_code == 401


def test_the_settings_page_offers_set_up_then_turning_off(api, person):
    client = Client()
    client.force_login(person)

    before = client.get("/settings").content.decode()
    enable(api, person)
    after = client.get("/settings").content.decode()

    assert "data-two-factor-setup" in before
    assert "data-two-factor-disable" in after
    assert "10 recovery codes left" in after
    assert 'name="otp"' in after  # the password form asks for the code too


def test_setup_gives_a_qr_code_of_the_otpauth_uri(api, person):
    body = api(person).post("me/2fa/setup", {"password": PASSWORD}).json()

    prefix, _, svg = body["qr_code"].partition(",")
    assert prefix.startswith("data:image/svg+xml")
    assert "<svg" in unquote(svg) and "<path" in unquote(svg)
    assert body["secret"] not in unquote(svg)  # drawn as modules, not written as text


def test_a_used_code_is_still_called_used_minutes_later(api, person):
    secret, _ = enable(api, person)
    code = code_for(secret)
    assert login(api, otp=code).status_code == 200
    later = time.time() + 300

    with mock.patch("django_otp.oath.time", return_value=later):
        response = login(api, otp=code)

    assert response.json()["error"]["code"] == "otp_reused"
