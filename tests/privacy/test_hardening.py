"""Security headers, cookie flags, and a password change signing out other clients."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

import clipdeck
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
TEMPLATES = sorted(Path(clipdeck.__file__).parent.glob("*/templates/**/*.html"))


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.mark.parametrize(
    "path", ["/", "/login", "/settings/privacy", "/privacy", "/transparency", "/api/docs"]
)
def test_pages_carry_a_content_security_policy_without_inline_scripts(path):
    response = Client().get(path)

    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_template_relies_on_inline_script(template):
    text = template.read_text()

    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text)
    handlers = re.findall(r"\son[a-z]+=[\"']", text)

    assert (inline_scripts, handlers) == ([], [])


def test_only_the_studio_may_ask_for_the_camera():
    user = UserFactory()
    client = Client()
    client.force_login(user)

    feed = client.get("/")
    studio = client.get("/studio")

    for response in (feed, studio):
        assert "clipboard-read=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
    assert "camera=()" in feed["Permissions-Policy"]
    assert "camera=(self)" in studio["Permissions-Policy"]
    assert "microphone=(self)" in studio["Permissions-Policy"]


def test_hsts_is_sent_on_https_only():
    plain = Client().get("/login")
    secure = Client().get("/login", secure=True)

    assert "Strict-Transport-Security" not in plain
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_session_cookie_is_http_only_and_same_site(settings):
    settings.SESSION_COOKIE_SECURE = True
    UserFactory(handle="cookie")

    response = Client().post("/login", {"login": "cookie", "password": PASSWORD})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert response.status_code == 302
    assert (cookie["httponly"], cookie["samesite"], cookie["secure"]) == (True, "Lax", True)


def test_changing_the_password_signs_out_other_tokens_and_sessions_but_not_this_one(api):
    user = UserFactory()
    this, other_token = api(user), api(user)
    other_browser = Client()
    other_browser.force_login(user)
    assert other_browser.get("/api/v1/me").status_code == 200

    response = this.post(
        "me/password", {"old_password": PASSWORD, "new_password": "a brand new passphrase"}
    )

    assert response.status_code == 200
    assert this.get("me").status_code == 200
    assert other_token.get("me").status_code == 401
    assert other_browser.get("/api/v1/me").status_code == 401


def test_changing_the_password_in_the_browser_keeps_that_session():
    user = UserFactory()
    browser = Client()
    browser.force_login(user)
    browser.get("/settings")
    csrf = browser.cookies["csrftoken"].value

    response = browser.post(
        "/api/v1/me/password",
        {"old_password": PASSWORD, "new_password": "a brand new passphrase"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )

    assert response.status_code == 200
    assert browser.get("/api/v1/me").status_code == 200


def test_a_wrong_current_password_changes_nothing(api):
    user = UserFactory()
    other = api(user)

    response = api(user).post(
        "me/password", {"old_password": "wrong one", "new_password": "a brand new passphrase"}
    )

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_credentials",
        "message": "The current password is not right.",
        "field": "old_password",
    }
    assert other.get("me").status_code == 200
