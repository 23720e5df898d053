"""Answers for a signed-in person are never cached; cookies follow the cell's HTTPS address."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/settings", "/api/v1/me", "/me/drafts"])
def test_signed_in_pages_and_api_answers_are_not_stored(path):
    client = Client()
    client.force_login(UserFactory())

    response = client.get(path)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Cookie" in response["Vary"]


def test_bearer_token_answers_are_not_stored(api):
    response = api(UserFactory()).get("me")

    assert response["Cache-Control"] == "private, no-store"


def test_public_pages_for_nobody_keep_their_own_caching():
    response = Client().get("/healthz")

    assert response.get("Cache-Control") != "private, no-store"


def settings_value(name: str, **env: str) -> str:
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"DJANGO_SETTINGS_MODULE": "clipdeck.settings", "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_session_cookies_are_secure_by_default_behind_https(tmp_path):
    https = settings_value(
        "SESSION_COOKIE_SECURE",
        CLIPDECK_DATA_DIR=str(tmp_path),
        CLIPDECK_PUBLIC_URL="https://clips.example",
    )
    plain = settings_value("SESSION_COOKIE_SECURE", CLIPDECK_DATA_DIR=str(tmp_path))

    assert (https, plain) == ("True", "False")
